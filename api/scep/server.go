package scep

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/smallstep/pkcs7"

	"github.com/certledger/certledger/api/auth"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

func init() {
	// What the answers are built with: smallstep/pkcs7's package defaults are DES and SHA-1.
	pkcs7.ContentEncryptionAlgorithm = pkcs7.EncryptionAlgorithmAES128CBC
	if err := pkcs7.SetDefaultDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256); err != nil {
		panic(err)
	}
}

// Ledger is what SCEP runs on: the RA, the enrollment and renewal commands, the certificates'
// streams and the HSM's keys.
type Ledger struct {
	RA      *commands.CertifySCEPRAHandler
	Enroll  *commands.EnrollSCEPHandler
	Renew   *commands.RenewCertificateHandler
	Queries *commands.Queries
	Keys    interface {
		Signer(label string) (crypto.Signer, error)
	}
}

// Deps are what Register builds the SCEP endpoints on.
type Deps struct {
	Provisioners []Provisioner
	Ledger       Ledger
	// Issued finds the certificate a RenewalReq is signed with (the PKI read model).
	Issued auth.CertificateLookup
	Logger *slog.Logger
}

// Server answers the SCEP requests of every provisioner.
type Server struct {
	provisioners map[string]Provisioner
	deps         Deps
}

// Route is one SCEP route, for listings.
type Route struct{ Method, Path string }

// maxMessage bounds a PKIOperation message.
const maxMessage = 256 << 10

// Register serves /scep/:provisioner (and /scep/:provisioner/pkiclient.exe, which some
// clients append) for GET and POST, and returns the routes.
func Register(e *echo.Echo, deps Deps) []Route {
	s := &Server{provisioners: map[string]Provisioner{}, deps: deps}
	for _, p := range deps.Provisioners {
		s.provisioners[p.Name] = p
	}
	if s.deps.Logger == nil {
		s.deps.Logger = slog.Default()
	}
	var routes []Route
	for _, path := range []string{"/scep/:provisioner", "/scep/:provisioner/pkiclient.exe"} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			e.Add(method, path, s.serve)
			routes = append(routes, Route{method, path})
		}
	}
	return routes
}

// serve dispatches on ?operation= (RFC 8894 §4).
func (s *Server) serve(c echo.Context) error {
	p, ok := s.provisioners[c.Param("provisioner")]
	if !ok {
		return c.String(http.StatusNotFound, "no SCEP provisioner "+c.Param("provisioner")+" is configured here\n")
	}
	var err error
	switch op := c.QueryParam("operation"); op {
	case "GetCACaps":
		return c.String(http.StatusOK, "POSTPKIOperation\nRenewal\nSHA-256\nAES\nSCEPStandard\n")
	case "GetCACert":
		err = s.caCert(c, p)
	case "PKIOperation":
		err = s.pkiOperation(c, p)
	default:
		return c.String(http.StatusBadRequest, fmt.Sprintf("operation %q is not one of GetCACaps, GetCACert, PKIOperation\n", op))
	}
	if err != nil {
		s.deps.Logger.Warn("SCEP request failed", "provisioner", p.Name, "operation", c.QueryParam("operation"), "error", err)
		if domain.KindOf(err) == domain.KindNotFound {
			return c.String(http.StatusNotFound, err.Error()+"\n")
		}
		return c.String(http.StatusInternalServerError, "the SCEP request could not be answered; see the ledger's log\n")
	}
	return nil
}

// caCert answers the RA certificate and the CA chain (RFC 8894 §4.2.1.2), the RA first.
func (s *Server) caCert(c echo.Context, p Provisioner) error {
	ra, _, err := s.ra(c.Request().Context(), p)
	if err != nil {
		return err
	}
	chain, err := s.deps.Ledger.Queries.CAChain(c.Request().Context(), p.CAID)
	if err != nil {
		return err
	}
	der, err := pkcs7.DegenerateCertificate(bytes.Join(append([][]byte{ra.Raw}, chain...), nil))
	if err != nil {
		return fmt.Errorf("certs-only CMS: %w", err)
	}
	return c.Blob(http.StatusOK, "application/x-x509-ca-ra-cert", der)
}

// ra returns the provisioner's RA certificate and key, certifying the RA when needed.
func (s *Server) ra(ctx context.Context, p Provisioner) (*x509.Certificate, crypto.Signer, error) {
	ra, err := s.deps.Ledger.RA.Ensure(ctx, uuid.MustParse(p.CAID), commands.System)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(ra.CertificateDER)
	if err != nil {
		return nil, nil, fmt.Errorf("the SCEP RA certificate: %w", err)
	}
	key, err := s.deps.Ledger.Keys.Signer(ra.KeyLabel)
	if err != nil {
		return nil, nil, fmt.Errorf("the SCEP RA key: %w", err)
	}
	return cert, key, nil
}

// message reads a PKIOperation's message: the POST body, or the GET's base64 message parameter.
func message(c echo.Context) ([]byte, error) {
	if c.Request().Method == http.MethodGet {
		raw, err := base64.StdEncoding.DecodeString(c.QueryParam("message"))
		if err != nil {
			return nil, fmt.Errorf("the message parameter is not base64: %w", err)
		}
		return raw, nil
	}
	raw, err := io.ReadAll(io.LimitReader(c.Request().Body, maxMessage+1))
	if err != nil || len(raw) > maxMessage {
		return nil, fmt.Errorf("the message is unreadable or over %d KiB", maxMessage>>10)
	}
	return raw, nil
}
