package rest_test

import (
	"context"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/acme"
	"github.com/certledger/certledger/api/auth"
	"github.com/certledger/certledger/api/auth/authtest"
	"github.com/certledger/certledger/api/rest"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/tests/clienttest"
	"github.com/certledger/certledger/tests/testutil"
)

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
	agentCA    string
	seq        atomic.Int64
	ledger     *clienttest.Ledger
}

// Teams of the matrix.
const (
	teamPayments = "payments"
	teamOther    = "search"
)

func newMatrixWorld(t *testing.T) *matrixWorld {
	t.Helper()
	w := &matrixWorld{t: t, principals: basePrincipals()}
	static := map[string]domain.Actor{}
	for _, p := range w.principals {
		if p.static {
			static[p.token] = actorOf(p)
		}
	}
	issuer := authtest.NewIssuer(t)
	oidc, err := auth.NewOIDC(context.Background(), auth.OIDCConfig{Issuer: issuer.URL(), Audience: "certledger"})
	require.NoError(t, err)
	ring, err := acme.NewEABKeyring(make([]byte, acme.MinEABSecret))
	require.NoError(t, err)
	l := clienttest.StartWith(t, clienttest.Options{Tokens: static, OIDC: oidc, ACME: &clienttest.ACMEOptions{
		Provisioners: []acme.Provisioner{{Name: "matrix", CAID: uuid.NewString(), Profile: "shared-web", ExternalAccountRequired: true}},
		EAB:          ring}})
	w.srv, w.routes, w.ledger = l.Server, l.Routes, l

	w.caID = w.mustCreate("/api/v1/cas", map[string]any{"name": "Matrix Root", "common_name": "Matrix Root", "key_algorithm": "ecdsa-p256"})["id"].(string)
	w.profile("payments-web", teamPayments)
	w.profile("shared-web", "")
	w.enrollAgents()
	require.Eventually(t, func() bool {
		status, _ := w.do("GET", "/api/v1/profiles/shared-web", "admin", nil)
		return status == http.StatusOK
	}, 10*time.Second, 20*time.Millisecond, "the read model catches up with the profiles")
	w.principals = append(w.principals, jwtPrincipals(t, issuer)...)
	w.principals = append(w.principals, w.apiTokenPrincipals()...)
	return w
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

// adminToken mints an API token as admin and returns the answer.
func (w *matrixWorld) adminToken() map[string]any {
	w.t.Helper()
	return w.mustCreate("/api/v1/tokens", map[string]any{"role": "VIEWER", "ttl": "24h", "description": "matrix"})
}

// discovered records a scan of a fresh scope that finds a fresh self-signed certificate and
// returns its fingerprint.
func (w *matrixWorld) discovered() string {
	w.t.Helper()
	key := testutil.ECKey(w.t)
	now := time.Now().UTC()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(w.seq.Add(1)), Subject: pkix.Name{CommonName: w.unique("found")},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour)}
	cert := testutil.Certificate(w.t, tmpl, tmpl, key.Public(), key)
	w.mustCreate("/api/v1/discovery/scans", map[string]any{"scope": w.unique("scope"), "source": "matrix",
		"started_at": now.Add(-time.Second), "finished_at": now, "sightings": []map[string]any{
			{"location": map[string]any{"kind": "network", "address": "192.0.2.1:443"}, "outcome": "ok", "chain": [][]byte{cert.Raw}}}})
	return domain.Fingerprint(cert.Raw)
}
