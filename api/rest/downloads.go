package rest

import (
	"encoding/pem"
	"fmt"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/domain"
)

// maxChain bounds the CAs a chain download walks, against a cycle in a corrupt history.
const maxChain = 16

// Media types of certificate downloads.
const (
	mediaPEM   = "application/x-pem-file"
	mediaDER   = "application/pkix-cert"
	mediaChain = "application/pem-certificate-chain" // RFC 8555 §9.1
)

// caCertificate serves a CA certificate as PEM or, with format=der, DER, to anyone.
func (h *handlers) caCertificate(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ca, err := h.Aggregates.CA(c.Request().Context(), id)
	if err != nil {
		return problemOf(err)
	}
	return sendCertificate(c, ca.CertificateDER(), nil)
}

// caChain serves a CA's certificate followed by its parents' up to the root, as PEM.
func (h *handlers) caChain(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	chain, err := h.chainFrom(c, id)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, mediaChain, pemOf(chain...))
}

// chainFrom returns the DER certificates of the CA id and its parents, the root last.
func (h *handlers) chainFrom(c echo.Context, id uuid.UUID) ([][]byte, error) {
	var chain [][]byte
	for range maxChain {
		ca, err := h.Aggregates.CA(c.Request().Context(), id)
		if err != nil {
			return nil, problemOf(err)
		}
		chain = append(chain, ca.CertificateDER())
		if ca.IsRoot() {
			return chain, nil
		}
		if id, err = uuid.Parse(ca.ParentID()); err != nil {
			return nil, fmt.Errorf("CA %s: parent id %q: %w", ca.ID(), ca.ParentID(), err)
		}
	}
	return nil, fmt.Errorf("CA %s: the chain is longer than %d CAs", id, maxChain)
}

// downloadCertificate serves an issued certificate: format=pem (default), der, or chain (the
// certificate, then its CA's chain).
func (h *handlers) downloadCertificate(c echo.Context) error {
	cert, err := h.visibleCertificate(c)
	if err != nil {
		return err
	}
	der := cert.CertificateDER()
	if der == nil {
		return problemOf(&domain.Error{Kind: domain.KindConflict,
			Message: fmt.Sprintf("certificate %s is %s: it has no certificate to download", cert.ID(), cert.Status())})
	}
	var chain [][]byte
	if c.QueryParam("format") == "chain" {
		caID, err := uuid.Parse(cert.CAID())
		if err != nil {
			return fmt.Errorf("certificate %s: CA id %q: %w", cert.ID(), cert.CAID(), err)
		}
		if chain, err = h.chainFrom(c, caID); err != nil {
			return err
		}
	}
	return sendCertificate(c, der, chain)
}

// sendCertificate answers with der in the format the query asks for.
func sendCertificate(c echo.Context, der []byte, chain [][]byte) error {
	switch f := c.QueryParam("format"); f {
	case "", "pem":
		return c.Blob(http.StatusOK, mediaPEM, pemOf(der))
	case "der":
		return c.Blob(http.StatusOK, mediaDER, der)
	case "chain":
		if chain != nil {
			return c.Blob(http.StatusOK, mediaChain, pemOf(append([][]byte{der}, chain...)...))
		}
		return badRequest("format=chain is for issued certificates; a CA's chain is at /api/v1/cas/{id}/chain")
	default:
		return badRequest(fmt.Sprintf("format %q is not pem, der or chain", f))
	}
}

// pemOf encodes certificates as PEM blocks, one after the other.
func pemOf(ders ...[]byte) []byte {
	var out []byte
	for _, der := range ders {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	return out
}
