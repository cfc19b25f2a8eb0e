package main

import (
	"context"
	"log/slog"
	"net"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/adapters/postgres/acmenonces"
	"github.com/certledger/certledger/api/acme"
	"github.com/certledger/certledger/api/rest"
	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/projections/pki"
)

// acmeRetry is how patiently ledgerd validates a challenge: 10 s an attempt, 3 attempts 2 s apart.
var acmeRetry = acme.Retry{Timeout: 10 * time.Second, Attempts: 3, Backoff: 2 * time.Second}

// serveACME registers the ACME provisioners of cfg on e, their nonces in the read side's
// Postgres (so every node sees them), http-01, dns-01 and tls-alpn-01 validated from ledgerd
// (names resolved by LEDGER_ACME_DNS_RESOLVER when set); it does nothing without provisioners.
// It returns the server, for the REST route that mints EAB keys; nil without provisioners.
func serveACME(cfg config.Config, e *echo.Echo, app *commands.Application, reads *readSide, logger *slog.Logger) (rest.ACMEKeys, error) {
	provisioners, err := cfg.Provisioners()
	if err != nil || len(provisioners) == 0 {
		return nil, err
	}
	ring, err := cfg.EABKeyring()
	if err != nil {
		return nil, err
	}
	var dial func(ctx context.Context, network, addr string) (net.Conn, error)
	if cfg.ACMEDNSResolver != "" {
		dial = acme.ResolverDialer(cfg.ACMEDNSResolver)
	}
	srv := acme.Register(e, acme.Deps{Provisioners: provisioners, Nonces: acmenonces.New(reads.pool, 0),
		Ledger: acme.Ledger{Commands: app.ACME, Queries: app.Queries, Revoke: app.Revoke},
		Validators: acme.Validators{
			"http-01":     &acme.HTTP01{Port: cfg.HTTP01Port(), Retry: acmeRetry, Dial: dial},
			"dns-01":      &acme.DNS01{Resolver: cfg.ACMEDNSResolver, Retry: acmeRetry},
			"tls-alpn-01": &acme.TLSALPN01{Port: cfg.TLSALPN01Port(), Retry: acmeRetry, Dial: dial},
		},
		EAB: ring, Certificates: acme.FinderOf(pki.NewQueries(reads.pool)), Logger: logger.With("component", "acme")})
	for _, p := range provisioners {
		logger.Info("ACME provisioner", "directory", cfg.PublicBase()+"/acme/"+p.Name+"/directory", "ca", p.CAID,
			"profile", p.Profile, "team", p.Team, "eab", p.ExternalAccountRequired)
	}
	return srv, nil
}
