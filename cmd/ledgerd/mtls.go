package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api"
	"github.com/certledger/certledger/api/auth"
	"github.com/certledger/certledger/api/rest"
	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections/fleet"
	"github.com/certledger/certledger/projections/pki"
)

// caPoolTTL is how long the TLS listener trusts its list of the ledger's CAs before reading it
// again, so that a new CA's certificates are accepted within about a second, without a restart.
const caPoolTTL = time.Second

// issuedLookup finds client certificates in the PKI read model, and agents' among them in the
// fleet read model.
type issuedLookup struct {
	q     *pki.Queries
	fleet *fleet.Queries
}

func (l issuedLookup) IssuedCertificate(ctx context.Context, fingerprint string) (auth.IssuedCertificate, error) {
	row, err := l.q.CertificateByFingerprint(ctx, fingerprint)
	if errors.Is(err, pki.ErrNotFound) {
		return auth.IssuedCertificate{}, fmt.Errorf("%w: %v", auth.ErrCertificateUnknown, err)
	}
	if err != nil {
		return auth.IssuedCertificate{}, err
	}
	out := auth.IssuedCertificate{ID: row.ID.String(), Team: row.Team, Owner: row.Owner, Status: string(row.Status)}
	agent, err := l.fleet.AgentByCertificate(ctx, row.ID)
	switch {
	case err == nil:
		out.AgentID, out.AgentEnrolled, out.Team = agent.ID.String(), agent.Status == domain.AgentEnrolledStatus, agent.Team
	case !errors.Is(err, fleet.ErrNotFound):
		return auth.IssuedCertificate{}, err
	}
	return out, nil
}

// clientCertificates authenticates requests that arrived over TLS with a client certificate
// the ledger issued; the REST routes then need no bearer token. A certificate that is not
// (or no longer) an issued one is a 401, whatever else the request carries.
func clientCertificates(cc auth.ClientCertificates, logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if c.Request().TLS == nil {
				return next(c)
			}
			actor, ok, err := cc.FromTLS(c.Request().Context(), c.Request().TLS)
			switch {
			case errors.Is(err, auth.ErrInvalidToken):
				logger.Info("client certificate refused", "error", err)
				return &api.Problem{Type: "https://certledger.dev/problems/unauthenticated", Title: "Unauthorized",
					Status: http.StatusUnauthorized, Detail: "the client certificate is not one the ledger issued, or it is revoked or expired"}
			case err != nil:
				return fmt.Errorf("checking the client certificate: %w", err)
			case ok:
				c.Set(rest.PresetActor, actor)
			}
			return next(c)
		}
	}
}

// tlsConfig is the TLS listener's configuration: TLS 1.3, its certificate from the files, and
// client certificates checked against the ledger's CAs as the read model lists them.
func tlsConfig(cfg config.Config, q *pki.Queries, logger *slog.Logger) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(cfg.TLSCertFile, cfg.TLSKeyFile)
	if err != nil {
		return nil, fmt.Errorf("TLS listener certificate: %w", err)
	}
	pools := &caPools{q: q, logger: logger}
	base := auth.ServerTLSConfig(cert, nil)
	base.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		c := auth.ServerTLSConfig(cert, pools.get(hello.Context()))
		return c, nil
	}
	return base, nil
}

// caPools caches the pool of the ledger's CA certificates.
type caPools struct {
	q      *pki.Queries
	logger *slog.Logger
	mu     sync.Mutex
	pool   *x509.CertPool
	read   time.Time
}

// get returns the pool, read again when older than caPoolTTL; a failed read keeps the last one.
func (p *caPools) get(ctx context.Context) *x509.CertPool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pool != nil && time.Since(p.read) < caPoolTTL {
		return p.pool
	}
	cas, err := p.q.ListCAs(ctx)
	if err != nil {
		p.logger.Warn("cannot read the CAs for client certificates; keeping the last list", "error", err)
		if p.pool == nil {
			return x509.NewCertPool()
		}
		return p.pool
	}
	if len(cas) == 0 {
		return x509.NewCertPool() // not kept: the first CA is trusted as soon as it is projected
	}
	pool := x509.NewCertPool()
	for _, ca := range cas {
		if ca.Status != string(domain.CAStatusRevoked) {
			if cert, err := x509.ParseCertificate(ca.CertificateDER); err == nil {
				pool.AddCert(cert)
			}
		}
	}
	p.pool, p.read = pool, time.Now()
	return pool
}
