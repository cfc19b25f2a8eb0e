package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/postgres/lease"
	"github.com/certledger/certledger/api/crl"
	"github.com/certledger/certledger/api/ocsp"
	"github.com/certledger/certledger/api/rest"
	"github.com/certledger/certledger/cmd/ledgerd/internal/renewal"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/infra/migrations"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/access"
	"github.com/certledger/certledger/projections/audit"
	"github.com/certledger/certledger/projections/discovery"
	"github.com/certledger/certledger/projections/fleet"
	"github.com/certledger/certledger/projections/pki"
	"github.com/certledger/certledger/projections/reports"
	"github.com/certledger/certledger/projections/signing"
)

// Intervals of the read side.
const (
	ocspValidity     = time.Hour              // nextUpdate − thisUpdate of OCSP answers
	followInterval   = 250 * time.Millisecond // how often revocations and new CAs are looked for
	migrationBackoff = 2 * time.Second
)

// readSide is the read models and what serves from them: the projection runner, the PKI
// queries, the OCSP responder and the CRLs.
type readSide struct {
	runner  *projections.Runner
	queries *pki.Queries
	tokens  *access.Queries // the API tokens of the access read model
	audit   *audit.Queries  // the Merkle tree over $all and its checkpoints
	// discovered are the certificates discovery scans found, classified against the inventory
	discovered *discovery.Queries
	reports    *reports.Queries
	fleet      *fleet.Queries   // agents and deployments
	signatures *signing.Queries // the signature requests waiting for approval
	pool       *pgxpool.Pool
	numbers    *crl.PostgresNumberStore
	ocsp       *ocsp.Responder
	crls       *crl.Service
	urls       commands.URLs  // as the command side puts them into certificates
	renewEvery time.Duration  // the renewal scheduler's interval
	nodes      *lease.Manager // the leases of the singleton jobs
	wg         sync.WaitGroup
}

// openReadSide registers the OCSP and CRL endpoints on e; start runs the rest once Postgres is
// reachable.
func openReadSide(pool *pgxpool.Pool, store *eventstore.Store, e *echo.Echo, nodes *lease.Manager, cfg configView,
	logger *slog.Logger) (*readSide, error) {
	projection, err := pki.New()
	if err != nil {
		return nil, err
	}
	reportModel, err := reports.New()
	if err != nil {
		return nil, err
	}
	runner, err := projections.NewRunner(pool, store, []projections.Projection{projection, access.New(), audit.New(), discovery.New(), reportModel,
		fleet.New(), signing.New()}, projections.WithLogger(logger.With("component", "projections")), projections.WithLeases(lease.Projections(nodes)))
	if err != nil {
		return nil, err
	}
	queries := pki.NewQueries(pool)
	numbers := crl.PostgresNumbers(pool)
	crls, err := crl.NewService(crlSource{queries}, numbers, crl.Config{BaseURL: cfg.publicBase, Logger: logger.With("component", "crl")})
	if err != nil {
		return nil, err
	}
	rs := &readSide{runner: runner, queries: queries, tokens: access.NewQueries(pool), audit: audit.NewQueries(pool),
		discovered: discovery.NewQueries(pool).WithExternalCAs(cfg.external), reports: reports.NewQueries(pool, cfg.prices),
		fleet: fleet.NewQueries(pool), signatures: signing.NewQueries(pool), pool: pool, numbers: numbers,
		ocsp: ocsp.NewResponder(queries, ocspValidity), crls: crls, renewEvery: cfg.renewEvery, urls: commands.URLs{Base: cfg.publicBase},
		nodes: nodes}
	ocsp.Register(e, rs.ocsp, logger.With("component", "ocsp"))
	crl.Register(e, crls)
	return rs, nil
}

// asOfReplays is how many point-in-time replays of the report read model ledgerd keeps.
const asOfReplays = 8

// reportsAsOf answers the reports ?as_of= a past moment from replays of the report projection
// into asof_reports_* schemas, run on ctx.
func (rs *readSide) reportsAsOf(ctx context.Context) rest.ReplayedReports {
	return rest.ReplayedReports{Cache: projections.NewAsOfCache(ctx, rs.runner, "asof_reports", []string{reports.Name}, asOfReplays),
		Live: rs.reports}
}

// sweeps are the commands the read side's background sweeps run on what the read model finds.
type sweeps struct {
	expire    func(ctx context.Context, certificate uuid.UUID) error // marks a certificate expired
	voidStale func(ctx context.Context, stream string) error         // voids a stream's stale signing intents
	warn      func(ctx context.Context, w pki.ExpiryWarning) error   // warns of a certificate's coming end
	// dueRenewal records a certificate's RenewalDue; renew runs one automatic renewal attempt.
	dueRenewal func(ctx context.Context, certificate uuid.UUID) error
	renew      func(ctx context.Context, a pki.RenewalAttempt) error
}

// configView is what the read side needs of the configuration.
type configView struct {
	publicBase string
	prices     reports.PriceTable // of the cost report
	external   *discovery.ExternalCAs
	renewEvery time.Duration // the renewal scheduler's interval
}

// start migrates Postgres in the background (waiting for it if need be), then runs the
// projections, the OCSP follower and the CRL service until ctx ends; stop waits for them.
func (rs *readSide) start(ctx context.Context, pool *pgxpool.Pool, keys *hsm.HSM, sw sweeps, logger *slog.Logger) {
	rs.wg.Add(1)
	go func() {
		defer rs.wg.Done()
		rs.run(ctx, pool, keys, sw, logger)
	}()
}

// stopTimeout bounds how long stop waits: a call into an unreachable event store may not return
// promptly when its context ends.
const stopTimeout = 5 * time.Second

// stop waits, for at most stopTimeout, for everything start began, and tells whether it all
// stopped; cancel its context first.
func (rs *readSide) stop(logger *slog.Logger) bool {
	done := make(chan struct{})
	go func() { rs.wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(stopTimeout):
		logger.Warn("read models did not stop in time; leaving them", "timeout", stopTimeout)
		return false
	}
}

func (rs *readSide) run(ctx context.Context, pool *pgxpool.Pool, keys *hsm.HSM, sw sweeps, logger *slog.Logger) {
	for {
		err := migrations.Migrate(ctx, pool)
		if err == nil {
			err = rs.numbers.EnsureSchema(ctx)
		}
		if err == nil {
			break
		}
		logger.Warn("read models wait for Postgres", "error", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(migrationBackoff):
		}
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { rs.nodes.Beat(ctx) })
	wg.Go(func() {
		if err := rs.runner.Run(ctx); err != nil && ctx.Err() == nil {
			logger.Error("projection runner stopped", "error", err)
		}
	})
	if !waitForTables(ctx, pool, "rm_pki.certificates", "rm_pki.revocations", "rm_pki.cas") {
		return
	}
	wg.Go(func() {
		ocsp.Follow(ctx, rs.ocsp, ocspIssuers{rs.queries, keys}, revocationFeed{rs.queries}, followInterval, logger.With("component", "ocsp"))
	})
	wg.Go(func() { rs.followCAs(ctx, keys, logger) })
	// The sweeps run on one node at a time; their commands are idempotent besides.
	wg.Go(func() {
		underLease(ctx, rs.nodes, leaseExpiry, func(ctx context.Context, guard func(context.Context) error) {
			expireCertificates(ctx, rs.queries, guarded(guard, sw.expire), logger.With("component", "expiry"))
		})
	})
	wg.Go(func() {
		underLease(ctx, rs.nodes, leaseWarnings, func(ctx context.Context, guard func(context.Context) error) {
			warnOfExpiry(ctx, rs.queries, guarded(guard, sw.warn), logger.With("component", "expiry-warnings"))
		})
	})
	wg.Go(func() {
		underLease(ctx, rs.nodes, leaseSignings, func(ctx context.Context, guard func(context.Context) error) {
			voidStaleSignings(ctx, rs.queries, guarded(guard, sw.voidStale), logger.With("component", "signing-sweep"))
		})
	})
	wg.Go(func() {
		underLease(ctx, rs.nodes, leaseRenewal, func(ctx context.Context, guard func(context.Context) error) {
			renewal.Scheduler{Read: rs.queries, Due: guarded(guard, sw.dueRenewal), Renew: guarded(guard, sw.renew)}.
				Run(ctx, rs.renewEvery, logger.With("component", "renewal"))
		})
	})
	wg.Go(func() {
		if err := rs.crls.Run(ctx); err != nil && ctx.Err() == nil {
			logger.Error("CRL service stopped", "error", err)
		}
	})
}

// followCAs registers every CA of the read model with the CRL service, new ones as they appear.
func (rs *readSide) followCAs(ctx context.Context, keys *hsm.HSM, logger *slog.Logger) {
	known := map[string]bool{}
	for {
		cas, err := signingCAs(ctx, rs.queries)
		if err != nil {
			logger.Warn("CRLs: listing CAs failed; retrying", "error", err)
		}
		for _, ca := range cas {
			id := ca.row.ID.String()
			if known[id] {
				continue
			}
			if err := rs.addCRLIssuer(ca, keys); err != nil {
				logger.Warn("CRLs: adding a CA failed; retrying", "ca", id, "error", err)
				continue
			}
			known[id] = true
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(followInterval):
		}
	}
}

func (rs *readSide) addCRLIssuer(ca signingCA, keys *hsm.HSM) error {
	signer, err := keys.Signer(ca.row.KeyLabel)
	if err != nil {
		return fmt.Errorf("CA key: %w", err)
	}
	// Partition URLs derive from the CRL URL the CA's certificates were given when it was
	// created, whatever the public URL is now.
	crlURL := ca.row.CRLURL
	if crlURL == "" {
		crlURL = rs.urls.CRL(ca.row.ID)
	}
	return rs.crls.AddIssuer(crl.Issuer{ID: ca.row.ID.String(), Certificate: ca.cert, Signer: signer,
		Partitions: ca.row.CRLPartitions, CRLURL: crlURL})
}

// waitForTables waits until the projection runner has created the read model's tables, so that
// what serves from them (OCSP, CRLs, expiry) starts on tables that exist. It reports false when
// ctx ended first.
func waitForTables(ctx context.Context, pool *pgxpool.Pool, tables ...string) bool {
	for {
		var missing int
		err := pool.QueryRow(ctx, "SELECT count(*) FROM unnest($1::text[]) t WHERE to_regclass(t) IS NULL", tables).Scan(&missing)
		if err == nil && missing == 0 {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(100 * time.Millisecond):
		}
	}
}
