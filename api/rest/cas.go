package rest

import (
	"encoding/pem"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

type createCARequest struct {
	Name         string    `json:"name"`
	CommonName   string    `json:"common_name"`
	KeyAlgorithm string    `json:"key_algorithm"`
	ParentID     uuid.UUID `json:"parent_id"`
	ValidityDays int       `json:"validity_days"`
	PathLen      *int      `json:"path_len"`
	// CRLPartitions splits the CA's CRL into that many partitions, each certificate naming
	// its own (/crl/{ca}/p{k}.crl); 0 or 1 means one CRL.
	CRLPartitions int `json:"crl_partitions"`
}

// caResponse is a CA as the API shows it.
type caResponse struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	CommonName string    `json:"common_name"`
	KeyType    string    `json:"key_algorithm"`
	ParentID   string    `json:"parent_id,omitempty"`
	Status     string    `json:"status"`
	Serial     string    `json:"serial"`
	NotBefore  time.Time `json:"not_before"`
	NotAfter   time.Time `json:"not_after"`
	// KeyLabel names the CA's key pair in the HSM; shown to SEC_OPS and ADMIN only.
	KeyLabel string `json:"key_label,omitempty"`
	// CRLPartitions is how many partitions the CA's CRL has; absent when it has one CRL.
	CRLPartitions int    `json:"crl_partitions,omitempty"`
	Certificate   string `json:"certificate"`
	Revision      uint64 `json:"revision"`
}

func (h *handlers) createCA(c echo.Context) error {
	var req createCARequest
	if err := bind(c, &req); err != nil {
		return err
	}
	kt, err := domain.ParseKeyType(req.KeyAlgorithm)
	if err != nil {
		return problemOf(err)
	}
	cmd := commands.CreateCA{CommandID: commandID(c), Name: req.Name, CommonName: req.CommonName, KeyType: kt,
		ParentID: req.ParentID, ValidityDays: req.ValidityDays, CRLPartitions: req.CRLPartitions}
	cmd.CAID = uuid.NewSHA1(cmd.CommandID, []byte("ca"))
	switch {
	case req.PathLen != nil:
		cmd.PathLen = *req.PathLen
	case req.ParentID == uuid.Nil:
		cmd.PathLen = 1
	}
	if cmd.ValidityDays == 0 {
		cmd.ValidityDays = 3650
		if req.ParentID != uuid.Nil {
			cmd.ValidityDays = 1825
		}
	}
	if _, err := h.run("create_ca", func() (commands.Result, error) {
		return h.Commands.CreateCA(c.Request().Context(), cmd, caller(c))
	}); err != nil {
		return err
	}
	return h.showCA(c, http.StatusCreated, cmd.CAID)
}

func (h *handlers) getCA(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	return h.showCA(c, http.StatusOK, id)
}

// showCA answers with a CA's state from its stream, its revision as the ETag.
func (h *handlers) showCA(c echo.Context, status int, id uuid.UUID) error {
	ca, err := h.Commands.CA(c.Request().Context(), id)
	if err != nil {
		return problemOf(err)
	}
	resp := caResponse{ID: ca.ID(), Name: ca.Name(), CommonName: ca.CommonName(), KeyType: string(ca.KeyType()),
		ParentID: ca.ParentID(), Status: string(ca.Status()), Serial: ca.Serial(), NotBefore: ca.Certificate().NotBefore,
		NotAfter: ca.NotAfter(), CRLPartitions: ca.CRLPartitions(),
		Certificate: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.CertificateDER()})),
		Revision:    uint64(ca.Version() - 1)}
	if seesKeys(actorOf(c)) {
		resp.KeyLabel = ca.HSMKeyLabel()
	}
	setETag(c, resp.Revision)
	return c.JSON(status, resp)
}

func (h *handlers) revokeCA(c echo.Context) error {
	var body reasonBody
	id, call, err := readCommandOn(c, &body)
	if err != nil {
		return err
	}
	if _, err := h.run("revoke_ca", func() (commands.Result, error) {
		return h.Commands.RevokeCA(c.Request().Context(), commands.RevokeCA{CommandID: commandID(c), CAID: id,
			Reason: body.Reason, InvalidityDate: body.InvalidityDate}, call)
	}); err != nil {
		return err
	}
	return h.showCA(c, http.StatusOK, id)
}

// conditionalCaller is the request's caller with its If-Match.
func conditionalCaller(c echo.Context) (commands.Caller, error) {
	rev, err := ifMatch(c)
	if err != nil {
		return commands.Caller{}, err
	}
	call := caller(c)
	call.IfRevision = rev
	return call, nil
}
