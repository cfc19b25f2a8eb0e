package rest

import (
	"encoding/pem"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

func (h *handlers) createCA(c echo.Context) error {
	var req wire.CreateCARequest
	if err := bind(c, &req); err != nil {
		return err
	}
	kt, err := domain.ParseKeyType(req.KeyAlgorithm)
	if err != nil {
		return problemOf(err)
	}
	parent, err := optionalUUID("parent_id", req.ParentID)
	if err != nil {
		return err
	}
	cmd := commands.CreateCA{CommandID: commandID(c), Name: req.Name, CommonName: req.CommonName, KeyType: kt,
		ParentID: parent, ValidityDays: req.ValidityDays, CRLPartitions: req.CRLPartitions}
	cmd.CAID = uuid.NewSHA1(cmd.CommandID, []byte("ca"))
	switch {
	case req.PathLen != nil:
		cmd.PathLen = *req.PathLen
	case parent == uuid.Nil:
		cmd.PathLen = 1
	}
	if cmd.ValidityDays == 0 {
		cmd.ValidityDays = 3650
		if parent != uuid.Nil {
			cmd.ValidityDays = 1825
		}
	}
	if _, err := h.run("create_ca", func() (commands.Result, error) {
		return h.Commands.CreateCA.Handle(c.Request().Context(), cmd, caller(c))
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
	ca, err := h.Aggregates.CA(c.Request().Context(), id)
	if err != nil {
		return problemOf(err)
	}
	resp := wire.CA{ID: ca.ID(), Name: ca.Name(), CommonName: ca.CommonName(), KeyAlgorithm: string(ca.KeyType()),
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
	var body wire.Decision
	id, call, err := readCommandOn(c, &body)
	if err != nil {
		return err
	}
	if _, err := h.run("revoke_ca", func() (commands.Result, error) {
		return h.Commands.RevokeCA.Handle(c.Request().Context(), commands.RevokeCA{CommandID: commandID(c), CAID: id,
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
