// Package clienttest runs the ledger's real REST API in-process for tests of its clients:
// command handlers on SoftHSM (hsmtest), an embedded event store (storetest), and the PKI and
// access, audit and report read models in a fresh Postgres database (pgtest) kept up to date by the projection
// runner, as ledgerd wires them. Bearer tokens are the static ones below and those of Options,
// the API tokens ("clt_…") the ledger mints, and JWTs when Options names an OIDC verifier.
//
// Invariants: a test package using it must declare
//
//	func TestMain(m *testing.M) { hsmtest.Main(m) }
//
// Every Ledger is its own world (store, database, tokens); it stops when its test ends. The
// list routes read the read model, which follows the event store shortly after each command.
package clienttest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/adapters/postgres/acmenonces"
	"github.com/certledger/certledger/adapters/postgres/lease"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/api"
	"github.com/certledger/certledger/api/acme"
	"github.com/certledger/certledger/api/auth"
	"github.com/certledger/certledger/api/dashboard"
	"github.com/certledger/certledger/api/rest"
	"github.com/certledger/certledger/api/tsa"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/infra/migrations"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/access"
	"github.com/certledger/certledger/projections/audit"
	"github.com/certledger/certledger/projections/discovery"
	"github.com/certledger/certledger/projections/fleet"
	"github.com/certledger/certledger/projections/pki"
	"github.com/certledger/certledger/projections/projectiontest"
	"github.com/certledger/certledger/projections/reports"
	"github.com/certledger/certledger/projections/signing"
)

// Static tokens of every Ledger.
const (
	// AdminToken stands for subject "admin" with the ADMIN role.
	AdminToken = "clienttest-admin-token-0123456789abcdef"
	// ViewerToken stands for subject "viewer" with the VIEWER role: it reads, and may not
	// change anything.
	ViewerToken = "clienttest-viewer-token-0123456789abcdef"
	// DevOpsToken stands for subject "dev" with the DEVOPS role in team "web": its requests
	// on a profile that requires approval wait for someone else's approval.
	DevOpsToken = "clienttest-devops-token-0123456789abcdef"
)

// Ledger is a running REST API.
type Ledger struct {
	// URL is the base URL, such as http://127.0.0.1:41234; the API is under URL + "/api/v1".
	URL string
	// Routes is the route table the server serves.
	Routes []rest.Route
	// Server, Store and Runner are the HTTP server, the event store and the projection runner
	// behind the API, for tests that look beneath it.
	Server *httptest.Server
	Store  *eventstore.Store
	Runner *projections.Runner
	// App is the command handlers and queries, and Audit the audit read model, for tests that
	// sign checkpoints (Checkpoint).
	App   *commands.Application
	Audit *audit.Queries
	// Nodes is the lease manager behind GET /cluster, node "clienttest"; it runs no job.
	Nodes *lease.Manager
	// HSM holds the ledger's keys, for tests that sign as a CA outside the API (a CRL to
	// serve at PublicBase).
	HSM *hsm.HSM
}

// Options add to what a Ledger accepts.
type Options struct {
	// Tokens are static tokens and the actors they stand for, besides the three above.
	Tokens map[string]domain.Actor
	// OIDC authenticates JWTs; nil refuses them.
	OIDC auth.Authenticator
	// Prices price the cost report; the zero table prices everything at 0.
	Prices reports.PriceTable
	// ACME, when set, serves these provisioners at /acme/{name}/directory, nonces in the
	// ledger's database, http-01 validated by HTTP01.
	ACME *ACMEOptions
	// Dashboard serves the web dashboard at / and /ui, as ledgerd does.
	Dashboard bool
	// PublicBase is the public URL the ledger's certificates name (CRL distribution points,
	// OCSP); default http://127.0.0.1:8080, which nothing serves.
	PublicBase string
}

// ACMEOptions configure the ACME endpoints of a Ledger.
type ACMEOptions struct {
	Provisioners []acme.Provisioner
	Validators   acme.Validators
	// EAB verifies External Account Bindings (nil: none verify).
	EAB *acme.EABKeyring
}

// Start runs a ledger's REST API until the test ends.
func Start(t testing.TB) *Ledger { return StartWith(t, Options{}) }

// StartWith runs a ledger's REST API with opts until the test ends.
func StartWith(t testing.TB, opts Options) *Ledger {
	t.Helper()
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("CLIENTTEST_LOG") != "" { // CLIENTTEST_LOG=1 go test … shows the server's log
		quiet = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	pool := pgtest.NewDatabase(t)
	require.NoError(t, migrations.Migrate(ctx, pool), "migrate the read model")
	store := eventstore.New(storetest.Client(t, storetest.Start(t)))
	if opts.PublicBase == "" {
		opts.PublicBase = "http://127.0.0.1:8080"
	}
	keys := hsmtest.Open(t)
	app, err := commands.NewApplication(store, hsm.KeyStore{HSM: keys}, commands.URLs{Base: opts.PublicBase})
	require.NoError(t, err)

	inventory, err := pki.New()
	require.NoError(t, err)
	reportModel, err := reports.New()
	require.NoError(t, err)
	runner := projectiontest.Start(t, pool, store, []projections.Projection{inventory, access.New(), audit.New(), discovery.New(), reportModel,
		fleet.New(), signing.New()}, projections.WithLogger(quiet))
	projectiontest.WaitLive(t, runner, store) // the read models exist before the first request, as when ledgerd is ready

	nodes, err := lease.New(pool, lease.Config{Node: "clienttest"})
	require.NoError(t, err)
	e, err := api.NewServer(api.Options{Logger: quiet, Node: nodes})
	require.NoError(t, err)
	tokens := rest.NewStaticTokens()
	tokens.Add(AdminToken, domain.Actor{Subject: "admin", Roles: []domain.Role{domain.RoleAdmin}})
	tokens.Add(ViewerToken, domain.Actor{Subject: "viewer", Roles: []domain.Role{domain.RoleViewer}})
	tokens.Add(DevOpsToken, domain.Actor{Subject: "dev", Roles: []domain.Role{domain.RoleDevOps}, Team: "web"})
	for token, actor := range opts.Tokens {
		tokens.Add(token, actor)
	}
	authn := auth.Chain{Static: tokens, APITokens: auth.AuthenticatorFunc(app.Queries.AuthenticateAPIToken), OIDC: opts.OIDC}
	replays, endReplays := context.WithCancel(ctx) // point-in-time replays of the reports end with the test
	t.Cleanup(endReplays)
	closing := make(chan struct{}) // as ledgerd does on shutdown: event streams end, then the server
	var acmeKeys rest.ACMEKeys
	if opts.ACME != nil {
		acmeKeys = acme.Register(e, acme.Deps{Provisioners: opts.ACME.Provisioners, Nonces: acmenonces.New(pool, 0),
			Ledger: acme.Ledger{Commands: app.ACME, Queries: app.Queries, Revoke: app.Revoke}, Validators: opts.ACME.Validators,
			EAB: opts.ACME.EAB, Certificates: acme.FinderOf(pki.NewQueries(pool)), Logger: quiet})
	}
	routes := rest.Register(e, rest.Deps{Commands: rest.CommandsOf(app), Aggregates: app.Queries,
		ReadModel: pki.NewQueries(pool), History: store, Auth: authn, Tokens: rest.TokensOf(app, access.NewQueries(pool)),
		Audit: audit.NewQueries(pool), AuditKey: app.Queries, Events: store, Closing: closing,
		Discovery: rest.Discovery{Record: app.Discover, Found: discovery.NewQueries(pool), Adopt: app.AdoptCertificate},
		Renewals:  pki.NewQueries(pool), Signatures: signing.NewQueries(pool), ACME: acmeKeys, Cluster: nodes,
		Reports: reports.NewQueries(pool, opts.Prices), Fleet: rest.FleetOf(app, fleet.NewQueries(pool)),
		ReportsAsOf: rest.ReplayedReports{Cache: projections.NewAsOfCache(replays, runner, "asof_reports", []string{reports.Name}, 8),
			Live: reports.NewQueries(pool, opts.Prices)}})
	tsa.Register(e, app.IssueTimestamp, quiet)
	if opts.Dashboard {
		_, err := dashboard.Register(e, dashboard.Deps{API: e, Logger: quiet, ReadPosition: dashboard.RunnerPosition(runner), Closing: closing})
		require.NoError(t, err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(func() { close(closing); srv.Close() })
	return &Ledger{URL: srv.URL, Routes: routes, Server: srv, Store: store, Runner: runner,
		App: app, Audit: audit.NewQueries(pool), HSM: keys, Nodes: nodes}
}

// Serves reports whether the server has a route, such as ("POST", "/tokens").
func (l *Ledger) Serves(method, path string) bool {
	for _, r := range l.Routes {
		if r.Method == method && r.Path == path {
			return true
		}
	}
	return false
}
