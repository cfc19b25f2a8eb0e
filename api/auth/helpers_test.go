package auth_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/auth"
	"github.com/certledger/certledger/api/auth/authtest"
)

// testAudience is the audience every test verifier expects.
const testAudience = "certledger-api"

// clock is a settable clock for the Now hook.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Now()} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newVerifier builds an OIDC verifier for issuer on a settable clock.
func newVerifier(t testing.TB, issuer *authtest.Issuer) (*auth.OIDC, *clock) {
	t.Helper()
	clk := newClock()
	verifier, err := auth.NewOIDC(context.Background(), auth.OIDCConfig{
		Issuer: issuer.URL(), Audience: testAudience, Now: clk.Now,
	})
	require.NoError(t, err)
	return verifier, clk
}

// validClaims are claims every test verifier accepts.
func validClaims() authtest.Claims {
	return authtest.Claims{
		Subject: "alice", Audience: []string{testAudience},
		Roles: []string{"ROLE_DEVOPS"}, Team: "payments",
	}
}

// handmadeToken assembles a compact JWS from a header, a payload and a signature function, for
// tokens no well-behaved library would sign.
func handmadeToken(t testing.TB, header, payload map[string]any, signature func(signingInput string) []byte) string {
	t.Helper()
	encode := func(v map[string]any) string {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	input := encode(header) + "." + encode(payload)
	return input + "." + base64.RawURLEncoding.EncodeToString(signature(input))
}

// validPayload is the payload of a token the issuer would accept, had it signed it.
func validPayload(issuer *authtest.Issuer) map[string]any {
	now := time.Now()
	return map[string]any{
		"iss": issuer.URL(), "aud": testAudience, "sub": "mallory", "roles": []string{"ADMIN"},
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
	}
}

func noSignature(string) []byte { return nil }

func hmacSignature(key []byte) func(string) []byte {
	return func(input string) []byte {
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(input))
		return mac.Sum(nil)
	}
}

// garbageSignature has the size of an ES256 signature but verifies nothing.
func garbageSignature(string) []byte { return make([]byte, 64) }

// serveJSON starts a server answering a GET of each path with its JSON body, in which "$URL"
// stands for the server's URL.
func serveJSON(t testing.TB, routes map[string]string) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	server := httptest.NewServer(mux)
	for path, body := range routes {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(strings.ReplaceAll(body, "$URL", server.URL)))
		})
	}
	t.Cleanup(server.Close)
	return server
}
