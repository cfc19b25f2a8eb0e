package est

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/auth"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// maxCSR bounds a request body: a CSR with a 16384-bit RSA key and many names fits.
const maxCSR = 64 << 10

// tokenActor authenticates a first enrollment: HTTP Basic whose password is an API token, or a
// bearer token; the actor must belong to a team, which the certificate is recorded for.
func (s *Server) tokenActor(c echo.Context) (domain.Actor, error) {
	var token string
	if _, password, ok := c.Request().BasicAuth(); ok {
		token = password
	} else if bearer, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer "); ok {
		token = strings.TrimSpace(bearer)
	}
	if token == "" {
		return domain.Actor{}, fail(http.StatusUnauthorized, "enrollment needs HTTP Basic authentication whose password is a ledger API token, or a bearer token")
	}
	actor, err := s.deps.Auth.Authenticate(c.Request().Context(), token)
	if err != nil {
		s.deps.Logger.Info("EST authentication failed", "error", err)
		return domain.Actor{}, fail(http.StatusUnauthorized, "the token is not valid: unknown, expired or revoked")
	}
	if actor.Team == "" {
		return domain.Actor{}, fail(http.StatusForbidden, "enrollment needs a token bound to a team (%s has none): the certificate is recorded for the token's team", actor.Subject)
	}
	return actor, nil
}

// clientCertificate authenticates a re-enrollment by the TLS client certificate, which must be
// one the ledger issued and holds as issued.
func (s *Server) clientCertificate(c echo.Context) (*x509.Certificate, domain.Actor, error) {
	state := c.Request().TLS
	if state == nil || len(state.VerifiedChains) == 0 {
		return nil, domain.Actor{}, fail(http.StatusForbidden,
			"re-enrollment is authenticated by the certificate being renewed: connect to the ledger's TLS listener with it")
	}
	actor, _, err := auth.ClientCertificates{Lookup: s.deps.Issued}.FromTLS(c.Request().Context(), state)
	if errors.Is(err, auth.ErrInvalidToken) {
		return nil, domain.Actor{}, fail(http.StatusForbidden, "%v", err)
	}
	if err != nil {
		return nil, domain.Actor{}, err
	}
	return state.VerifiedChains[0][0], actor, nil
}

// readCSR reads a PKCS#10 CSR in base64 DER (RFC 7030 §4.2.1, application/pkcs10), or in PEM,
// and returns it as PEM and as DER.
func readCSR(c echo.Context) (pemBytes, der []byte, err error) {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, maxCSR+1))
	if err != nil {
		return nil, nil, fail(http.StatusBadRequest, "reading the request: %v", err)
	}
	if len(body) > maxCSR {
		return nil, nil, fail(http.StatusRequestEntityTooLarge, "the CSR is over %d KiB", maxCSR>>10)
	}
	if block, _ := pem.Decode(body); block != nil {
		der = block.Bytes
	} else {
		der, err = base64.StdEncoding.DecodeString(string(bytes.Join(bytes.Fields(body), nil)))
		if err != nil {
			return nil, nil, fail(http.StatusBadRequest, "the body is not a base64 PKCS#10 CSR: %v", err)
		}
	}
	if _, err := x509.ParseCertificateRequest(der); err != nil {
		return nil, nil, fail(http.StatusBadRequest, "the body is not a PKCS#10 CSR: %v", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}), der, nil
}

// callerOf is the command caller of an EST request by actor.
func callerOf(c echo.Context, actor domain.Actor) commands.Caller {
	return commands.Caller{Actor: actor, SourceAddr: c.RealIP(), UserAgent: c.Request().UserAgent(),
		CorrelationID: c.Response().Header().Get(echo.HeaderXRequestID)}
}
