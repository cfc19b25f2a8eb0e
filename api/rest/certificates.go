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

func (h *handlers) requestCertificate(c echo.Context) error {
	var body wire.CertificateRequest
	if err := bind(c, &body); err != nil {
		return err
	}
	if body.ValidityDays == 0 {
		body.ValidityDays = 90
	}
	cmd := commands.RequestCertificate{CommandID: commandID(c), CAID: body.CAID, Profile: body.Profile,
		CSRPEM: []byte(body.CSR), Team: body.Team, Owner: body.Owner, ValidityDays: body.ValidityDays, Override: body.Override}
	cmd.CertificateID = uuid.NewSHA1(cmd.CommandID, []byte("certificate"))
	if _, err := h.run("request_certificate", func() (commands.Result, error) {
		return h.Commands.RequestCertificate.Handle(c.Request().Context(), cmd, caller(c))
	}); err != nil {
		return err
	}
	return h.showCertificate(c, cmd.CertificateID, true)
}

func (h *handlers) getCertificate(c echo.Context) error {
	cert, err := h.visibleCertificate(c)
	if err != nil {
		return err
	}
	return respondCertificate(c, cert, false)
}

// visibleCertificate loads the certificate in the path, if the caller may read it.
func (h *handlers) visibleCertificate(c echo.Context) (*domain.Certificate, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	cert, err := h.Aggregates.Certificate(c.Request().Context(), id)
	if err != nil {
		return nil, problemOf(err)
	}
	if !mayRead(actorOf(c), cert.Team()) {
		return nil, notVisible("certificate " + id.String())
	}
	return cert, nil
}

// decide runs a decision (approve, reject, issue or revoke) on the certificate in the path,
// under the request's If-Match.
func (h *handlers) decide(name string, run Handler[commands.Decision]) echo.HandlerFunc {
	return func(c echo.Context) error {
		var body wire.Decision
		id, call, err := readCommandOn(c, &body)
		if err != nil {
			return err
		}
		cmd := commands.Decision{CommandID: commandID(c), CertificateID: id, Reason: body.Reason, InvalidityDate: body.InvalidityDate}
		if _, err := h.run(name, func() (commands.Result, error) {
			return run.Handle(c.Request().Context(), cmd, call)
		}); err != nil {
			return err
		}
		return h.showCertificate(c, id, false)
	}
}

func (h *handlers) renew(c echo.Context) error {
	var body wire.RenewalRequest
	id, call, err := readCommandOn(c, &body)
	if err != nil {
		return err
	}
	cmd := commands.RenewCertificate{CommandID: commandID(c), CertificateID: id, CSRPEM: []byte(body.CSR), ValidityDays: body.ValidityDays}
	cmd.NewCertificateID = uuid.NewSHA1(cmd.CommandID, []byte("certificate"))
	if _, err := h.run("renew_certificate", func() (commands.Result, error) {
		return h.Commands.RenewCertificate.Handle(c.Request().Context(), cmd, call)
	}); err != nil {
		return err
	}
	return h.showCertificate(c, cmd.NewCertificateID, true)
}

// showCertificate answers with a certificate's state from its stream.
func (h *handlers) showCertificate(c echo.Context, id uuid.UUID, created bool) error {
	cert, err := h.Aggregates.Certificate(c.Request().Context(), id)
	if err != nil {
		return problemOf(err)
	}
	return respondCertificate(c, cert, created)
}

// respondCertificate writes a certificate, its revision as the ETag. A new request is 201 when
// issued and 202 while it waits for approval.
func respondCertificate(c echo.Context, cert *domain.Certificate, created bool) error {
	resp := wire.Certificate{ID: cert.ID(), Status: string(cert.Status()), Serial: cert.Serial(), CAID: cert.CAID(),
		Profile: cert.ProfileName(), Team: cert.Team(), Owner: cert.Owner(), CommonName: cert.CommonName(),
		DNSNames: cert.DNSNames(), SupersededBy: cert.SupersededBy(), Revision: uint64(cert.Version() - 1)}
	if due, ok := cert.RenewalDueRecorded(); ok {
		resp.Renewal = &wire.CertificateRenewal{DueAt: due.DueAt, Mode: due.Mode, FailedAttempts: cert.RenewalFailures()}
	}
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
	setETag(c, resp.Revision)
	return c.JSON(status, resp)
}
