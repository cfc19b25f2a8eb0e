package dashboard

import (
	"crypto/x509"
	"encoding/pem"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
)

// certificateData is a certificate's page: its state from its event stream, the chain up to
// the root, where its revocation status is published, and its full history.
type certificateData struct {
	Cert    wire.Certificate
	Chain   []chainLink
	OCSP    []string
	CRL     []string
	SigAlg  string
	History wire.History
	// Revocation is the status an OCSP responder or CRL of the ledger gives for it.
	Revocation string
}

// chainLink is one certificate of the chain, leaf first.
type chainLink struct{ Subject, Issuer, NotAfter string }

// certificate shows one certificate: the API's GET /certificates/{id}, its CA's chain and its
// history, which the API answers only to callers who may read the certificate.
func (db *Dashboard) certificate(c echo.Context) error {
	api, ctx, id := db.apiAs(c), c.Request().Context(), c.Param("id")
	cert, err := api.GetCertificate(ctx, id)
	if err != nil {
		return db.failed(c, "certificate", "Certificate", err)
	}
	hist, err := api.CertificateHistory(ctx, id)
	if err != nil {
		return db.failed(c, "certificate", "Certificate", err)
	}
	d := certificateData{Cert: cert, History: hist, Revocation: revocationStatus(cert.Status)}
	pems := []byte(cert.Certificate)
	if caChain, err := api.CAChain(ctx, cert.CAID); err == nil {
		pems = append(pems, caChain...)
	}
	for block, rest := pem.Decode(pems); block != nil; block, rest = pem.Decode(rest) {
		x, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			continue
		}
		if len(d.Chain) == 0 && cert.Certificate != "" {
			d.OCSP, d.CRL, d.SigAlg = x.OCSPServer, x.CRLDistributionPoints, x.SignatureAlgorithm.String()
		}
		d.Chain = append(d.Chain, chainLink{Subject: x.Subject.String(), Issuer: x.Issuer.String(), NotAfter: x.NotAfter.UTC().Format("2006-01-02")})
	}
	return db.render(c, http.StatusOK, "certificate", view{Title: "Certificate " + cert.CommonName, Nav: "inventory", Data: d})
}

// revocationStatus is what the ledger's OCSP responder and CRLs say of a certificate in a
// status: they answer from the same events.
func revocationStatus(status string) string {
	switch status {
	case "issued", "superseded", "expired":
		return "good (not revoked)"
	case "revoked":
		return "revoked"
	default:
		return "not issued: no OCSP or CRL entry"
	}
}
