package acme_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eab is an externalAccountBinding for c's key, MACed with hmacKey (base64url) under kid.
func (c *rawClient) eab(kid, hmacKey string) json.RawMessage {
	key, err := base64.RawURLEncoding.DecodeString(hmacKey)
	require.NoError(c.t, err)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: key},
		(&jose.SignerOptions{}).WithHeader("kid", kid).WithHeader("url", c.url("/new-account")))
	require.NoError(c.t, err)
	jwk, err := (&jose.JSONWebKey{Key: c.key.Public()}).MarshalJSON()
	require.NoError(c.t, err)
	jws, err := signer.Sign(jwk)
	require.NoError(c.t, err)
	return json.RawMessage(jws.FullSerialize())
}

func TestOnlyAccountsBoundWithTheirEABKeyRegister(t *testing.T) {
	s := startStack(t)
	key := s.mintEAB(t, "payments")
	c := newRawClient(t, s)
	c.prov = "teams"
	refused := func(payload map[string]any, status int, problem string) {
		t.Helper()
		before := s.position(t)
		got, body := c.post(c.url("/new-account"), c.nonce(), payload)
		assert.Equal(t, status, got, "%v", body)
		assert.Equal(t, "urn:ietf:params:acme:error:"+problem, body["type"], "%v", body)
		assert.Equal(t, before, s.position(t), "a refused registration appends nothing")
	}
	refused(map[string]any{"termsOfServiceAgreed": true}, http.StatusUnauthorized, "externalAccountRequired")
	refused(map[string]any{"externalAccountBinding": c.eab(key.KeyID, base64.RawURLEncoding.EncodeToString(make([]byte, 32)))},
		http.StatusUnauthorized, "unauthorized")
	other := newRawClient(t, s)
	refused(map[string]any{"externalAccountBinding": other.eab(key.KeyID, key.HMACKey)}, http.StatusUnauthorized, "unauthorized")

	status, body := c.post(c.url("/new-account"), c.nonce(), map[string]any{"externalAccountBinding": c.eab(key.KeyID, key.HMACKey)})
	require.Equal(t, http.StatusCreated, status, "%v", body)

	second := newRawClient(t, s)
	second.prov = "teams"
	before := s.position(t)
	status, body = second.post(second.url("/new-account"), second.nonce(), map[string]any{"externalAccountBinding": second.eab(key.KeyID, key.HMACKey)})
	assert.Equal(t, http.StatusForbidden, status, "a key binds one account: %v", body)
	assert.Equal(t, "urn:ietf:params:acme:error:unauthorized", body["type"])
	assert.Equal(t, before, s.position(t))
}

// keyChange is the keyChange request body: an inner JWS by newKey over the account and its old key.
func (c *rawClient) keyChange(newKey *ecdsa.PrivateKey) []byte {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: newKey},
		(&jose.SignerOptions{EmbedJWK: true}).WithHeader("url", c.url("/key-change")))
	require.NoError(c.t, err)
	payload, err := json.Marshal(map[string]any{"account": c.kid, "oldKey": jose.JSONWebKey{Key: c.key.Public()}})
	require.NoError(c.t, err)
	jws, err := signer.Sign(payload)
	require.NoError(c.t, err)
	return []byte(jws.FullSerialize())
}

func TestAnAccountRollsItsKeyOverThenIsDeactivated(t *testing.T) {
	s := startStack(t)
	c := newRawClient(t, s)
	c.register()
	oldKey := c.key
	newKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)

	status, body := c.post(c.url("/key-change"), c.nonce(), c.keyChange(newKey))
	require.Equal(t, http.StatusOK, status, "%v", body)

	status, body = c.post(c.url("/new-order"), c.nonce(), order("old.example.com"))
	assert.Equal(t, http.StatusBadRequest, status, "the old key signs no more: %v", body)
	c.key = newKey
	status, body = c.post(c.url("/new-order"), c.nonce(), order("new.example.com"))
	assert.Equal(t, http.StatusCreated, status, "%v", body)

	byNewKey := &rawClient{t: t, s: s, key: newKey, prov: "web"}
	status, _ = byNewKey.post(c.url("/new-account"), c.nonce(), map[string]any{"onlyReturnExisting": true})
	assert.Equal(t, http.StatusOK, status, "newAccount finds the account by its new key")
	byOldKey := &rawClient{t: t, s: s, key: oldKey, prov: "web"}
	before := s.position(t)
	status, body = byOldKey.post(c.url("/new-account"), c.nonce(), map[string]any{"termsOfServiceAgreed": true})
	assert.Equal(t, http.StatusUnauthorized, status, "the old key registers no second account: %v", body)
	assert.Equal(t, before, s.position(t))

	other := newRawClient(t, s)
	other.register()
	status, body = other.post(c.url("/key-change"), other.nonce(), other.keyChange(newKey))
	assert.Equal(t, http.StatusConflict, status, "a key that has an account is no one else's new key: %v", body)
	assert.Equal(t, before+1, s.position(t), "only the other account's registration was appended")

	status, body = c.post(c.kid, c.nonce(), map[string]any{"status": "deactivated"})
	require.Equal(t, http.StatusOK, status, "%v", body)
	assert.Equal(t, "deactivated", body["status"])
	before = s.position(t)
	status, body = c.post(c.url("/new-order"), c.nonce(), order("late.example.com"))
	assert.Equal(t, http.StatusUnauthorized, status, "%v", body)
	assert.Equal(t, "urn:ietf:params:acme:error:unauthorized", body["type"])
	assert.Equal(t, before, s.position(t), "a deactivated account orders nothing")
}
