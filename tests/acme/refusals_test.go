package acme_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawClient signs ACME requests by hand, to send what lego never would.
type rawClient struct {
	t    *testing.T
	s    *stack
	key  *ecdsa.PrivateKey
	kid  string
	prov string // the provisioner, "web" unless set
}

func newRawClient(t *testing.T, s *stack) *rawClient {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return &rawClient{t: t, s: s, key: key, prov: "web"}
}

func (c *rawClient) url(path string) string { return c.s.TLS.URL + "/acme/" + c.prov + path }

func (c *rawClient) nonce() string {
	resp, err := c.s.TLS.Client().Head(c.url("/new-nonce"))
	require.NoError(c.t, err)
	resp.Body.Close()
	return resp.Header.Get("Replay-Nonce")
}

// post signs payload for url with nonce, by kid once registered and by jwk before.
func (c *rawClient) post(url, nonce string, payload any) (int, map[string]any) {
	opts := (&jose.SignerOptions{}).WithHeader("url", url).WithHeader("nonce", nonce)
	if c.kid != "" {
		opts = opts.WithHeader("kid", c.kid)
	} else {
		opts.EmbedJWK = true
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: c.key}, opts)
	require.NoError(c.t, err)
	body, ok := payload.([]byte)
	if !ok {
		body, err = json.Marshal(payload)
		require.NoError(c.t, err)
	}
	jws, err := signer.Sign(body)
	require.NoError(c.t, err)
	resp, err := c.s.TLS.Client().Post(url, "application/jose+json", bytes.NewBufferString(jws.FullSerialize()))
	require.NoError(c.t, err)
	defer resp.Body.Close()
	assert.NotEmpty(c.t, resp.Header.Get("Replay-Nonce"), "every answer carries a nonce")
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode == http.StatusCreated && c.kid == "" {
		c.kid = resp.Header.Get("Location")
	}
	return resp.StatusCode, out
}

func (c *rawClient) register() {
	status, body := c.post(c.url("/new-account"), c.nonce(), map[string]any{"termsOfServiceAgreed": true})
	require.Equal(c.t, http.StatusCreated, status, "%v", body)
}

func order(names ...string) map[string]any {
	var ids []map[string]string
	for _, n := range names {
		ids = append(ids, map[string]string{"type": "dns", "value": n})
	}
	return map[string]any{"identifiers": ids}
}

func TestRefusedRequestsAppendNothing(t *testing.T) {
	s := startStack(t)
	c := newRawClient(t, s)
	c.register()

	t.Run("a replayed nonce is badNonce", func(t *testing.T) {
		n := c.nonce()
		status, _ := c.post(c.url("/new-order"), n, order("a.example.com"))
		require.Equal(t, http.StatusCreated, status)
		before := s.position(t)
		status, body := c.post(c.url("/new-order"), n, order("b.example.com"))
		assert.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "urn:ietf:params:acme:error:badNonce", body["type"])
		assert.Equal(t, before, s.position(t))
	})
	t.Run("a body that is no JWS is malformed", func(t *testing.T) {
		before := s.position(t)
		resp, err := s.TLS.Client().Post(c.url("/new-order"), "application/jose+json", bytes.NewBufferString(`{"protected":"e30","payload":"","signature":"AA"}`))
		require.NoError(t, err)
		defer resp.Body.Close()
		var body map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
		assert.Equal(t, "urn:ietf:params:acme:error:malformed", body["type"])
		assert.Equal(t, before, s.position(t))
	})
	t.Run("a JWS by another key is refused", func(t *testing.T) {
		other := newRawClient(t, s)
		other.kid = c.kid // claims c's account, signs with its own key
		before := s.position(t)
		status, body := other.post(c.url("/new-order"), c.nonce(), order("c.example.com"))
		assert.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "urn:ietf:params:acme:error:malformed", body["type"])
		assert.Equal(t, before, s.position(t))
	})
	t.Run("the wrong url in the protected header is refused", func(t *testing.T) {
		before := s.position(t)
		status, body := c.post(c.url("/new-order")+"?x", c.nonce(), order("d.example.com")) // signed for that URL
		assert.Equal(t, http.StatusUnauthorized, status, "%v", body)
		assert.Equal(t, "urn:ietf:params:acme:error:unauthorized", body["type"])
		assert.Equal(t, before, s.position(t))
	})
	t.Run("an identifier outside the profile is rejectedIdentifier", func(t *testing.T) {
		before := s.position(t)
		status, body := c.post(c.url("/new-order"), c.nonce(), order("www.example.com", "evil.org"))
		assert.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "urn:ietf:params:acme:error:rejectedIdentifier", body["type"])
		assert.Equal(t, before, s.position(t))
	})
	t.Run("an unknown account is accountDoesNotExist", func(t *testing.T) {
		stranger := newRawClient(t, s)
		stranger.kid = c.url("/account/00000000-0000-0000-0000-000000000000")
		before := s.position(t)
		status, body := stranger.post(c.url("/new-order"), c.nonce(), order("e.example.com"))
		assert.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "urn:ietf:params:acme:error:accountDoesNotExist", body["type"])
		assert.Equal(t, before, s.position(t))
	})
}
