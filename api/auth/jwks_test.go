package auth_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/auth"
	"github.com/certledger/certledger/api/auth/authtest"
)

func TestOIDCRefreshesKeysOnAnUnknownKeyIDAfterRotation(t *testing.T) {
	issuer := authtest.NewIssuer(t)
	verifier, clk := newVerifier(t, issuer)
	require.Equal(t, 1, issuer.JWKSFetches(), "NewOIDC fetches the keys")
	oldToken := issuer.Mint(t, validClaims())
	issuer.Rotate(t)
	newToken := issuer.Mint(t, validClaims())

	_, err := verifier.Authenticate(context.Background(), newToken)
	require.ErrorContains(t, err, "unknown signing key", "no refresh within the interval after the first fetch")
	assert.Equal(t, 1, issuer.JWKSFetches())

	clk.Advance(auth.JWKSMinRefreshInterval)
	actor, err := verifier.Authenticate(context.Background(), newToken)
	require.NoError(t, err)
	assert.Equal(t, "alice", actor.Subject)
	assert.Equal(t, 2, issuer.JWKSFetches(), "one refresh for the unknown key id")

	_, err = verifier.Authenticate(context.Background(), oldToken)
	require.ErrorIs(t, err, auth.ErrInvalidToken)
	assert.ErrorContains(t, err, `unknown signing key "k1"`, "the rotated-out key is gone")
	assert.Equal(t, 2, issuer.JWKSFetches())
}

func TestOIDCFetchesKeysAtMostOncePerIntervalForUnknownKeyIDs(t *testing.T) {
	issuer := authtest.NewIssuer(t)
	verifier, clk := newVerifier(t, issuer)
	forged := func(i int) string {
		header := map[string]any{"alg": "ES256", "kid": fmt.Sprintf("forged-%d", i)}
		return handmadeToken(t, header, validPayload(issuer), garbageSignature)
	}
	clk.Advance(auth.JWKSMinRefreshInterval)

	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			_, err := verifier.Authenticate(context.Background(), forged(i))
			assert.ErrorContains(t, err, "unknown signing key")
		})
	}
	wg.Wait()
	assert.Equal(t, 2, issuer.JWKSFetches(), "50 concurrent unknown key ids cause one refresh")

	clk.Advance(auth.JWKSMinRefreshInterval / 2)
	_, err := verifier.Authenticate(context.Background(), forged(50))
	require.ErrorIs(t, err, auth.ErrInvalidToken)
	assert.Equal(t, 2, issuer.JWKSFetches(), "no refresh before the interval has passed")

	clk.Advance(auth.JWKSMinRefreshInterval / 2)
	_, err = verifier.Authenticate(context.Background(), forged(51))
	require.ErrorIs(t, err, auth.ErrInvalidToken)
	assert.Equal(t, 3, issuer.JWKSFetches(), "one refresh once the interval has passed")
}

func TestOIDCRefreshesStaleKeysOnUse(t *testing.T) {
	issuer := authtest.NewIssuer(t)
	verifier, clk := newVerifier(t, issuer)
	claims := validClaims()
	claims.ExpiresIn = time.Hour // outlives the clock's advance
	token := issuer.Mint(t, claims)

	clk.Advance(auth.JWKSMaxAge - time.Second)
	_, err := verifier.Authenticate(context.Background(), token)
	require.NoError(t, err)
	assert.Equal(t, 1, issuer.JWKSFetches(), "fresh keys are not fetched again")

	clk.Advance(time.Second)
	_, err = verifier.Authenticate(context.Background(), token)
	require.NoError(t, err)
	assert.Equal(t, 2, issuer.JWKSFetches(), "stale keys are fetched again on use")
}

func TestOIDCIgnoresKeysNotForSigning(t *testing.T) {
	issuer := authtest.NewIssuer(t)
	// The issuer's own key, republished for encryption only.
	var set struct{ Keys []map[string]any }
	require.NoError(t, json.Unmarshal([]byte(get(t, issuer.JWKSURL())), &set))
	set.Keys[0]["use"] = "enc"
	encryptionOnly, err := json.Marshal(set)
	require.NoError(t, err)
	server := serveJSON(t, map[string]string{"/jwks": string(encryptionOnly)})

	_, err = auth.NewOIDC(context.Background(), auth.OIDCConfig{
		Issuer: issuer.URL(), Audience: testAudience, JWKSURL: server.URL + "/jwks",
	})

	require.ErrorContains(t, err, "no usable signing key among its 1 keys")
}

func TestNewOIDCFailsWhenTheIssuerIsUnreachable(t *testing.T) {
	server := serveJSON(t, nil)
	server.Close()

	_, err := auth.NewOIDC(context.Background(), auth.OIDCConfig{Issuer: server.URL, Audience: testAudience})
	require.ErrorContains(t, err, "discovery: GET "+server.URL+"/.well-known/openid-configuration")

	_, err = auth.NewOIDC(context.Background(), auth.OIDCConfig{
		Issuer: server.URL, Audience: testAudience, JWKSURL: server.URL + "/jwks",
	})
	require.ErrorContains(t, err, "JWKS: GET "+server.URL+"/jwks")
}

func TestNewOIDCRefusesADiscoveryDocumentOfAnotherIssuer(t *testing.T) {
	server := serveJSON(t, map[string]string{
		"/.well-known/openid-configuration": `{"issuer": "https://elsewhere.example", "jwks_uri": "$URL/jwks"}`,
	})

	_, err := auth.NewOIDC(context.Background(), auth.OIDCConfig{Issuer: server.URL, Audience: testAudience})

	require.ErrorContains(t, err, `the document names issuer "https://elsewhere.example"`)
}

func TestNewOIDCRefusesAnEmptyKeySet(t *testing.T) {
	server := serveJSON(t, map[string]string{
		"/.well-known/openid-configuration": `{"issuer": "$URL", "jwks_uri": "$URL/jwks"}`,
		"/jwks":                             `{"keys": []}`,
	})

	_, err := auth.NewOIDC(context.Background(), auth.OIDCConfig{Issuer: server.URL, Audience: testAudience})

	require.ErrorContains(t, err, "no usable signing key")
}

func TestNewOIDCRefusesAnIncompleteConfiguration(t *testing.T) {
	issuer := authtest.NewIssuer(t)
	for name, config := range map[string]auth.OIDCConfig{
		"no audience":     {Issuer: issuer.URL()},
		"no issuer":       {Audience: testAudience},
		"negative skew":   {Issuer: issuer.URL(), Audience: testAudience, ClockSkew: -time.Second},
		"issuer not http": {Issuer: "ftp://issuer.example", Audience: testAudience},
	} {
		_, err := auth.NewOIDC(context.Background(), config)
		assert.ErrorContains(t, err, "OIDC configuration", name)
	}
	assert.Zero(t, issuer.JWKSFetches(), "a bad configuration contacts nobody")
}

// get returns the body of a GET of url.
func get(t testing.TB, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body json.RawMessage
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	return string(body)
}

func TestOIDCKeepsItsKeysWhenARefreshFails(t *testing.T) {
	issuer := authtest.NewIssuer(t)
	keys := get(t, issuer.JWKSURL())
	var down atomic.Bool
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if down.Load() {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(keys))
	}))
	t.Cleanup(server.Close)
	clk := newClock()
	verifier, err := auth.NewOIDC(context.Background(), auth.OIDCConfig{
		Issuer: issuer.URL(), Audience: testAudience, JWKSURL: server.URL, Now: clk.Now,
	})
	require.NoError(t, err)
	claims := validClaims()
	claims.ExpiresIn = time.Hour
	token := issuer.Mint(t, claims)

	down.Store(true)
	clk.Advance(auth.JWKSMaxAge)
	_, err = verifier.Authenticate(context.Background(), token)
	require.NoError(t, err, "the failed refresh of stale keys keeps them")

	issuer.Rotate(t)
	clk.Advance(auth.JWKSMinRefreshInterval)
	_, err = verifier.Authenticate(context.Background(), issuer.Mint(t, claims))
	require.ErrorContains(t, err, "the last refresh of the key set failed", "the log says why the key is unknown")
	assert.ErrorContains(t, err, "503")
}
