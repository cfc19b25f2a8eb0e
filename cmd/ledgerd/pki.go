package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/api/dashboard"
	"github.com/certledger/certledger/api/rest"
	"github.com/certledger/certledger/api/tsa"
	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/projections/pki"
)

// pkiService wires the PKI: the HSM, the command handlers and their REST routes.
type pkiService struct {
	hsm  *hsm.HSM
	app  *commands.Application
	auth rest.Authenticator
	// endStreams ends the event streams (GET /api/v1/events/stream), which would otherwise keep
	// http.Server.Shutdown waiting; register it with RegisterOnShutdown.
	endStreams func()
}

// openPKI opens the HSM and registers the /api/v1 routes, the public RFC 3161 TSA (POST
// /tsa/{signing key id}), ACME, EST and SCEP when configured, the dashboard (/ and /ui) and /metrics on e, the API's behind the
// authenticator of newAuthenticator and the rate limits of o.
func openPKI(ctx context.Context, cfg config.Config, e *echo.Echo, store *eventstore.Store, reads *readSide, o *httpOps,
	logger *slog.Logger) (*pkiService, error) {
	h, err := openHSM(cfg, logger)
	if err != nil {
		return nil, fmt.Errorf("opening the HSM: %w", err)
	}
	app, err := commands.NewApplication(store, hsm.KeyStore{HSM: h}, commands.URLs{Base: cfg.PublicBase()})
	if err != nil {
		_ = h.Close()
		return nil, err
	}
	authn, tokenPath, err := newAuthenticator(ctx, cfg, app.Queries, logger)
	if err != nil {
		_ = h.Close()
		return nil, err
	}
	acmeKeys, err := serveACME(cfg, e, app, reads, logger)
	if err != nil {
		_ = h.Close()
		return nil, err
	}
	closing := make(chan struct{})
	rest.Register(e, rest.Deps{Commands: rest.CommandsOf(app), Aggregates: app.Queries, ReadModel: reads.queries,
		History: store, Auth: authn, Tokens: rest.TokensOf(app, reads.tokens), Observe: o.metrics.CommandOutcome,
		Audit: reads.audit, AuditKey: app.Queries, Events: store, Closing: closing,
		Discovery: rest.Discovery{Record: app.Discover, Found: reads.discovered, Adopt: app.AdoptCertificate}, Reports: reads.reports,
		ReportsAsOf: reads.reportsAsOf(ctx), Fleet: rest.FleetOf(app, reads.fleet), Renewals: reads.queries,
		Signatures: reads.signatures, ACME: acmeKeys, Cluster: reads.nodes}, o.limiter.Middleware())
	tsa.Register(e, app.IssueTimestamp, logger.With("component", "tsa"))
	if _, err := dashboard.Register(e, dashboard.Deps{API: e, Logger: logger.With("component", "dashboard"),
		ReadPosition: dashboard.RunnerPosition(reads.runner), Closing: closing}); err != nil {
		_ = h.Close()
		return nil, err
	}
	if err := errors.Join(serveEST(cfg, e, app, reads, authn, logger), serveSCEP(cfg, e, app, h, reads, logger)); err != nil {
		_ = h.Close()
		return nil, err
	}
	if err := o.serveMetrics(e, authn, reads.runner); err != nil {
		_ = h.Close()
		return nil, err
	}
	logger.Info("API ready", "bootstrap_admin_token", tokenPath, "public_url", cfg.PublicBase())
	return &pkiService{hsm: h, app: app, auth: authn, endStreams: sync.OnceFunc(func() { close(closing) })}, nil
}

// sweeps are the housekeeping commands the read side runs on what its read models list.
func (p *pkiService) sweeps() sweeps {
	expire := func(ctx context.Context, id uuid.UUID) error {
		_, err := p.app.ExpireCertificate.Handle(ctx, commands.ExpireCertificate{CertificateID: id})
		return err
	}
	voidStale := func(ctx context.Context, stream string) error {
		_, err := p.app.VoidStaleSignings.Handle(ctx, commands.VoidStaleSignings{Stream: stream})
		return err
	}
	warn := func(ctx context.Context, w pki.ExpiryWarning) error {
		_, err := p.app.WarnExpiry.Handle(ctx, commands.WarnExpiry{CertificateID: w.CertificateID, DaysBefore: w.DaysBefore})
		return err
	}
	due := func(ctx context.Context, id uuid.UUID) error {
		_, err := p.app.DueRenewal.Handle(ctx, commands.DueRenewal{CertificateID: id})
		return err
	}
	renew := func(ctx context.Context, a pki.RenewalAttempt) error {
		_, err := p.app.AutoRenew.Handle(ctx, commands.AutoRenew{CertificateID: a.CertificateID, Failures: a.Failures})
		return err
	}
	return sweeps{expire: expire, voidStale: voidStale, warn: warn, dueRenewal: due, renew: renew}
}

// Close closes the HSM.
func (p *pkiService) Close() error { return p.hsm.Close() }
