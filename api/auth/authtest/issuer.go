// Package authtest runs a real OpenID Connect issuer for tests: an httptest server publishing a
// discovery document and a JWKS, and the means to mint, forge and re-key tokens.
package authtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

// Issuer is a local OIDC issuer signing with one ECDSA P-256 key (ES256).
type Issuer struct {
	server *httptest.Server

	mu          sync.Mutex // guards the fields below
	key         *ecdsa.PrivateKey
	generation  int // the key id is "k" + generation
	jwksFetches int
}

// NewIssuer starts an issuer with the key "k1"; it stops when the test ends.
func NewIssuer(t testing.TB) *Issuer {
	t.Helper()
	i := &Issuer{key: newKey(t), generation: 1}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", i.serveDiscovery)
	mux.HandleFunc("GET /jwks", i.serveJWKS)
	i.server = httptest.NewServer(mux)
	t.Cleanup(i.server.Close)
	return i
}

// URL is the issuer URL, the "iss" of its tokens.
func (i *Issuer) URL() string { return i.server.URL }

// JWKSURL is where the issuer publishes its keys.
func (i *Issuer) JWKSURL() string { return i.server.URL + "/jwks" }

// JWKSFetches counts the requests for the JWKS so far.
func (i *Issuer) JWKSFetches() int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.jwksFetches
}

// Rotate replaces the signing key by a new one with the key id "k2" (then "k3", …); the old
// key disappears from the JWKS.
func (i *Issuer) Rotate(t testing.TB) {
	t.Helper()
	key := newKey(t)
	i.mu.Lock()
	defer i.mu.Unlock()
	i.key = key
	i.generation++
}

// keyID names the current key. The caller holds mu.
func (i *Issuer) keyID() string { return fmt.Sprintf("k%d", i.generation) }

func (i *Issuer) serveDiscovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, map[string]string{"issuer": i.URL(), "jwks_uri": i.JWKSURL()})
}

func (i *Issuer) serveJWKS(w http.ResponseWriter, _ *http.Request) {
	i.mu.Lock()
	i.jwksFetches++
	public := jose.JSONWebKey{Key: &i.key.PublicKey, KeyID: i.keyID(), Algorithm: string(jose.ES256), Use: "sig"}
	i.mu.Unlock()
	writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{public}})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("authtest: generating an issuer key: %v", err)
	}
	return key
}
