package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/api/auth/authtest"
	"github.com/certledger/certledger/api/rest"
	"github.com/certledger/certledger/tests/testutil"
)

// request sends a request with the given bearer token ("" for none) and returns the answer.
func (l *ledgerd) request(t *testing.T, method, path, token, body string, headers ...string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, l.base+path, strings.NewReader(body))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, out
}

// lastPosition is the newest position of the ledger's event store.
func (l *ledgerd) lastPosition(t *testing.T) uint64 {
	t.Helper()
	store, err := eventstore.Connect(l.storeURL)
	require.NoError(t, err)
	defer store.Close()
	pos, err := store.LastPosition(context.Background())
	require.NoError(t, err)
	return pos
}

// TestAPIAgainstARealLedger checks the API issue's promise against a real ledgerd with curl's
// view of HTTP and the real ledgerctl: roles get what the matrix says, anonymous and forged
// tokens 401, malformed JSON a 400 problem with nothing appended, an Idempotency-Key retry
// issues one certificate, a burst meets 429, and the OpenAPI document lists every route.
func TestAPIAgainstARealLedger(t *testing.T) {
	issuer := authtest.NewIssuer(t)
	l := startLedgerd(t, "LEDGER_RATE_WRITE=2", "LEDGER_OIDC_ISSUER="+issuer.URL(), "LEDGER_OIDC_AUDIENCE=certledger")
	ca := l.post(t, "/api/v1/cas", map[string]any{"name": "Root", "common_name": "E2E Root", "key_algorithm": "ecdsa-p256"}, http.StatusCreated)
	l.post(t, "/api/v1/profiles", map[string]any{"name": "payments-web", "team": "payments", "allowed_domains": []string{"example.com"},
		"key_types": []string{"ecdsa-p256"}, "max_validity_days": 90, "requires_approval": true}, http.StatusCreated)

	// Tokens minted with ledgerctl stand for their roles.
	viewer := mintToken(t, l, "--role", "VIEWER")
	devops := mintToken(t, l, "--role", "DEVOPS", "--team", "payments")
	out, code := l.ledgerctl(t, "whoami", "--token", devops, "-o", "json")
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, `"DEVOPS"`)

	for _, tc := range []struct {
		name, method, path, token, body string
		want                            int
	}{
		{"anonymous", "GET", "/api/v1/certificates", "", "", http.StatusUnauthorized},
		{"forged token", "GET", "/api/v1/certificates", "forged-0123456789", "", http.StatusUnauthorized},
		{"forged JWT", "GET", "/api/v1/me", issuer.Forge(t, authtest.Claims{Subject: "eve", Audience: []string{"certledger"}, Roles: []string{"ADMIN"}}), "", http.StatusUnauthorized},
		{"user from the OIDC issuer", "GET", "/api/v1/me", issuer.Mint(t, authtest.Claims{Subject: "alice", Audience: []string{"certledger"}, Roles: []string{"SEC_OPS"}}), "", http.StatusOK},
		{"viewer reads", "GET", "/api/v1/certificates", viewer, "", http.StatusOK},
		{"viewer may not request", "POST", "/api/v1/certificates", viewer, `{}`, http.StatusForbidden},
		{"devops may not create CAs", "POST", "/api/v1/cas", devops, `{}`, http.StatusForbidden},
		{"anonymous CA download", "GET", "/api/v1/cas/" + ca["id"].(string) + "/certificate", "", "", http.StatusOK},
		{"metrics need a token", "GET", "/metrics", "", "", http.StatusUnauthorized},
	} {
		status, _, body := l.request(t, tc.method, tc.path, tc.token, tc.body)
		assert.Equal(t, tc.want, status, "%s: %s", tc.name, body)
	}

	// Malformed JSON: a 400 problem, and nothing appended.
	before := l.lastPosition(t)
	status, header, body := l.request(t, "POST", "/api/v1/certificates", devops, `{"ca_id": "`)
	assert.Equal(t, http.StatusBadRequest, status, string(body))
	assert.Equal(t, "application/problem+json", header.Get("Content-Type"))
	assert.Equal(t, before, l.lastPosition(t))

	// An Idempotency-Key retry through ledgerctl issues one certificate.
	csrFile := t.TempDir() + "/web.csr"
	require.NoError(t, os.WriteFile(csrFile, testutil.CSR(t, "pay.example.com"), 0o600))
	var serials []string
	for range 2 {
		out, code := l.ledgerctl(t, "cert", "request", "--token", devops, "--ca", ca["id"].(string), "--profile", "payments-web",
			"--csr", csrFile, "--team", "payments", "--idempotency-key", "deploy-7", "-o", "json")
		require.Equal(t, 0, code, out)
		var cert map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &cert), out)
		serials = append(serials, cert["serial"].(string))
	}
	assert.Equal(t, serials[0], serials[1])
	require.Eventually(t, func() bool {
		list := l.get(t, "/api/v1/certificates?san=pay.example.com")
		return len(list["items"].([]any)) == 1
	}, 10*time.Second, 50*time.Millisecond, "the inventory lists one certificate")

	// A burst of commands from one principal meets 429 with Retry-After.
	var limited http.Header
	for range 20 {
		status, header, _ := l.request(t, "POST", "/api/v1/certificates/"+ca["id"].(string)+"/revoke", devops, `{"reason":"superseded"}`)
		if status == http.StatusTooManyRequests {
			limited = header
			break
		}
	}
	require.NotNil(t, limited, "20 commands in a burst never met 429")
	assert.NotEmpty(t, limited.Get("Retry-After"))

	// The OpenAPI document lists every route, and the metrics count requests per route.
	status, _, doc := l.request(t, "GET", "/api/v1/openapi.json", viewer, "")
	require.Equal(t, http.StatusOK, status)
	for _, r := range rest.Routes(rest.Deps{}) {
		path := routeParam.ReplaceAllString(rest.Prefix+r.Path, "{$1}")
		assert.Contains(t, string(doc), `"`+path+`"`, "%s %s", r.Method, r.Path)
	}
	status, _, metrics := l.request(t, "GET", "/metrics", viewer, "")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, string(metrics), `certledger_http_requests_total{method="POST",route="/api/v1/certificates",status="400"}`)
	assert.Contains(t, string(metrics), `certledger_projection_lag_events{projection="pki"}`)
}

// routeParam is an echo path parameter, :id, as OpenAPI writes it: {id}.
var routeParam = regexp.MustCompile(`:([A-Za-z_][A-Za-z0-9_]*)`)

// mintToken mints an API token with ledgerctl as the bootstrap admin and returns it.
func mintToken(t *testing.T, l *ledgerd, args ...string) string {
	t.Helper()
	out, code := l.ledgerctl(t, append([]string{"token", "create", "--ttl", "24h", "-o", "json"}, args...)...)
	require.Equal(t, 0, code, out)
	var token map[string]any
	require.NoError(t, json.NewDecoder(bytes.NewReader([]byte(out))).Decode(&token), out)
	return token["token"].(string)
}
