package rest

import (
	"context"
	"encoding/pem"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

type requestCertificateBody struct {
	CAID         string `json:"ca_id"`
	Profile      string `json:"profile"`
	CSR          string `json:"csr"`
	Team         string `json:"team"`
	Owner        string `json:"owner"`
	ValidityDays int    `json:"validity_days"`
	Override     bool   `json:"override"`
}

// certificateResponse is a certificate as the API shows it.
type certificateResponse struct {
	ID          string     `json:"id"`
	Status      string     `json:"status"`
	Serial      string     `json:"serial,omitempty"`
	CAID        string     `json:"ca_id"`
	Profile     string     `json:"profile"`
	Team        string     `json:"team"`
	Owner       string     `json:"owner,omitempty"`
	CommonName  string     `json:"common_name"`
	DNSNames    []string   `json:"dns_names"`
	NotBefore   *time.Time `json:"not_before,omitempty"`
	NotAfter    *time.Time `json:"not_after,omitempty"`
	Certificate string     `json:"certificate,omitempty"`
	Revision    uint64     `json:"revision"`
}

func (h *handlers) requestCertificate(c echo.Context) error {
	var body requestCertificateBody
	if err := bind(c, &body); err != nil {
		return err
	}
	if body.ValidityDays == 0 {
		body.ValidityDays = 90
	}
	cmd := commands.RequestCertificate{CommandID: commandID(c), CAID: body.CAID, Profile: body.Profile,
		CSRPEM: []byte(body.CSR), Team: body.Team, Owner: body.Owner, ValidityDays: body.ValidityDays, Override: body.Override}
	cmd.CertificateID = uuid.NewSHA1(cmd.CommandID, []byte("certificate"))
	if _, err := h.cmds.RequestCertificate(c.Request().Context(), cmd, caller(c)); err != nil {
		return problemOf(err)
	}
	return h.showCertificate(c, cmd.CertificateID, true)
}

func (h *handlers) getCertificate(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	return h.showCertificate(c, id, false)
}

// decide runs an approve, reject or revoke command on the certificate in the path.
func (h *handlers) decide(run func(ctx context.Context, cmd commands.Decision, caller commands.Caller) (commands.Result, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c)
		if err != nil {
			return err
		}
		var body struct {
			Reason         string     `json:"reason"`
			InvalidityDate *time.Time `json:"invalidity_date"`
		}
		if err := bind(c, &body); err != nil {
			return err
		}
		cmd := commands.Decision{CommandID: commandID(c), CertificateID: id, Reason: body.Reason, InvalidityDate: body.InvalidityDate}
		if _, err := run(c.Request().Context(), cmd, caller(c)); err != nil {
			return problemOf(err)
		}
		return h.showCertificate(c, id, false)
	}
}

func (h *handlers) renew(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var body struct {
		CSR          string `json:"csr"`
		ValidityDays int    `json:"validity_days"`
	}
	if err := bind(c, &body); err != nil {
		return err
	}
	cmd := commands.RenewCertificate{CommandID: commandID(c), CertificateID: id, CSRPEM: []byte(body.CSR), ValidityDays: body.ValidityDays}
	cmd.NewCertificateID = uuid.NewSHA1(cmd.CommandID, []byte("certificate"))
	if _, err := h.cmds.RenewCertificate(c.Request().Context(), cmd, caller(c)); err != nil {
		return problemOf(err)
	}
	return h.showCertificate(c, cmd.NewCertificateID, true)
}

// showCertificate answers with a certificate's state from its stream. A new request is 201 when
// issued and 202 while it waits for approval.
func (h *handlers) showCertificate(c echo.Context, id uuid.UUID, created bool) error {
	cert, err := h.cmds.Certificate(c.Request().Context(), id)
	if err != nil {
		return problemOf(err)
	}
	resp := certificateResponse{ID: cert.ID(), Status: string(cert.Status()), Serial: cert.Serial(), CAID: cert.CAID(),
		Profile: cert.ProfileName(), Team: cert.Team(), Owner: cert.Owner(), CommonName: cert.CommonName(),
		DNSNames: cert.DNSNames(), Revision: uint64(cert.Version() - 1)}
	if der := cert.CertificateDER(); der != nil {
		nb, na := cert.NotBefore(), cert.NotAfter()
		resp.NotBefore, resp.NotAfter = &nb, &na
		resp.Certificate = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		if cert.Status() == domain.StatusPendingApproval {
			status = http.StatusAccepted
		}
	}
	return c.JSON(status, resp)
}
