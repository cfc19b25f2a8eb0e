package rest_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/api"
	"github.com/certledger/certledger/api/rest"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/infra/migrations"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/pki"
)

// principal is who calls a route in the matrix test: a token, and the roles it stands for.
type principal struct {
	name  string
	token string // "" sends no Authorization header
	roles []string
	team  string
	// authenticated is false for principals whose token must be refused (401).
	authenticated bool
}

// matrixWorld is the whole API over real parts — command handlers on SoftHSM, the embedded
// event store, the PKI read model in Postgres — with one static token per principal, a root
// CA, and two profiles: "payments-web" owned by team payments (approval required, so that only
// DEVOPS of payments is approved automatically) and "shared-web" owned by nobody.
type matrixWorld struct {
	t          *testing.T
	srv        *httptest.Server
	routes     []rest.Route
	principals []principal
	caID       string
	seq        atomic.Int64
}

// Teams of the matrix.
const (
	teamPayments = "payments"
	teamOther    = "search"
)

func newMatrixWorld(t *testing.T) *matrixWorld {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.NewDatabase(t)
	require.NoError(t, migrations.Migrate(ctx, pool))
	store := eventstore.New(storetest.Client(t, storetest.Start(t)))
	h, err := commands.NewHandlers(store, hsm.KeyStore{HSM: hsmtest.Open(t)}, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(t, err)
	p, err := pki.New()
	require.NoError(t, err)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	runner, err := projections.NewRunner(pool, store, []projections.Projection{p}, projections.WithLogger(quiet))
	require.NoError(t, err)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- runner.Run(runCtx) }()
	t.Cleanup(func() { cancel(); <-done })

	e, err := api.NewServer(api.Options{Logger: quiet})
	require.NoError(t, err)
	w := &matrixWorld{t: t, principals: basePrincipals()}
	tokens := rest.NewStaticTokens()
	for _, pr := range w.principals {
		if pr.authenticated {
			tokens.Add(pr.token, actorOf(pr))
		}
	}
	w.routes = rest.Register(e, rest.Deps{Commands: h, ReadModel: pki.NewQueries(pool), History: store, Auth: tokens})
	w.srv = httptest.NewServer(e)
	t.Cleanup(w.srv.Close)

	w.caID = w.mustCreate("/api/v1/cas", map[string]any{"name": "Matrix Root", "common_name": "Matrix Root", "key_algorithm": "ecdsa-p256"})["id"].(string)
	w.profile("payments-web", teamPayments)
	w.profile("shared-web", "")
	require.Eventually(t, func() bool {
		status, _ := w.do("GET", "/api/v1/profiles/shared-web", "admin", nil)
		return status == http.StatusOK
	}, 10*time.Second, 20*time.Millisecond, "the read model catches up with the profiles")
	return w
}

// basePrincipals are the roles of the security model, a second team, a principal without
// roles, nobody, and a token nobody issued.
func basePrincipals() []principal {
	return []principal{
		{name: "anonymous"},
		{name: "unknown-token", token: "clt_not-a-token-anyone-issued"},
		{name: "no-role", token: "tok-no-role", authenticated: true, team: teamPayments},
		{name: "viewer", token: "tok-viewer", roles: []string{"VIEWER"}, authenticated: true},
		{name: "devops", token: "tok-devops", roles: []string{"DEVOPS"}, team: teamPayments, authenticated: true},
		{name: "devops-other-team", token: "tok-devops-other", roles: []string{"DEVOPS"}, team: teamOther, authenticated: true},
		{name: "secops", token: "tok-secops", roles: []string{"SEC_OPS"}, authenticated: true},
		{name: "admin", token: "tok-admin", roles: []string{"ADMIN"}, authenticated: true},
		// requester makes the requests others approve, so that four eyes never hides a role's
		// right to approve.
		{name: "requester", token: "tok-requester", roles: []string{"DEVOPS"}, team: teamPayments, authenticated: true},
	}
}

func actorOf(p principal) domain.Actor {
	a := domain.Actor{Subject: p.name + "@example.com", Team: p.team}
	for _, r := range p.roles {
		a.Roles = append(a.Roles, domain.Role(r))
	}
	return a
}

// token returns the token of the named principal.
func (w *matrixWorld) token(name string) string {
	for _, p := range w.principals {
		if p.name == name {
			return p.token
		}
	}
	w.t.Fatalf("no principal %q", name)
	return ""
}

// do sends a request as the named principal.
func (w *matrixWorld) do(method, path, who string, body any) (int, map[string]any) {
	return call(w.t, w.srv, method, path, w.token(who), body)
}

// mustCreate POSTs as admin and returns the answer, which must be a 2xx.
func (w *matrixWorld) mustCreate(path string, body any) map[string]any {
	w.t.Helper()
	status, out := w.do("POST", path, "admin", body)
	require.Truef(w.t, status >= 200 && status < 300, "POST %s: %d %v", path, status, out)
	return out
}

func (w *matrixWorld) profile(name, team string) {
	w.mustCreate("/api/v1/profiles", map[string]any{"name": name, "team": team, "allowed_domains": []string{"example.com"},
		"key_types": []string{"ecdsa-p256"}, "max_validity_days": 90, "requires_approval": true})
}

// unique returns a fresh DNS name under example.com.
func (w *matrixWorld) unique(prefix string) string {
	return fmt.Sprintf("%s-%d.example.com", prefix, w.seq.Add(1))
}

// pending requests a certificate of team payments as requester: DEVOPS of the team, so it is
// approved and issued at once in payments-web; in shared-web it waits for approval.
func (w *matrixWorld) certificate(profile string) map[string]any {
	w.t.Helper()
	status, out := w.do("POST", "/api/v1/certificates", "requester", map[string]any{"ca_id": w.caID, "profile": profile,
		"csr": csr(w.t, w.unique("host")), "team": teamPayments, "owner": "owner@example.com"})
	require.Truef(w.t, status == http.StatusCreated || status == http.StatusAccepted, "request: %d %v", status, out)
	return out
}
