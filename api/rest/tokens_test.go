package rest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/rest"
)

func TestAPITokenAuthenticatesUntilRevoked(t *testing.T) {
	s := newTokenStack(t)
	body := `{"role":"devops","team":"payments","description":"deploy bot","ttl":"30d"}`
	req, err := http.NewRequest("POST", s.srv.URL+"/api/v1/tokens", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"), "the secret must not be cached")
	var thirtyDays struct {
		ExpiresAt time.Time `json:"expires_at"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&thirtyDays))
	assert.WithinDuration(t, time.Now().Add(30*24*time.Hour), thirtyDays.ExpiresAt, time.Minute)

	minted := s.mint(t, adminToken, map[string]any{"role": "DEVOPS", "team": "payments", "description": "deploy bot"})
	token, id := minted["token"].(string), minted["id"].(string)
	assert.Regexp(t, `^clt_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$`, token)
	assert.Equal(t, []any{"DEVOPS", "payments", "deploy bot", 0.0, "active"},
		[]any{minted["role"], minted["team"], minted["description"], minted["revision"], minted["status"]})
	expires, err := time.Parse(time.RFC3339Nano, minted["expires_at"].(string))
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now().Add(rest.DefaultTokenTTL), expires, time.Minute, "90 days by default")

	status, me := call(t, s.srv, "GET", "/api/v1/me", token, nil)
	require.Equal(t, http.StatusOK, status, me)
	assert.Equal(t, map[string]any{"subject": "token:" + id, "roles": []any{"DEVOPS"}, "team": "payments"}, me)

	status, revoked := call(t, s.srv, "POST", "/api/v1/tokens/"+id+"/revoke", adminToken, map[string]any{"reason": "leaked"})
	require.Equal(t, http.StatusOK, status, revoked)
	assert.Equal(t, []any{"revoked", "admin", "leaked", 1.0},
		[]any{revoked["status"], revoked["revoked_by"], revoked["revocation_reason"], revoked["revision"]})
	status, _ = call(t, s.srv, "GET", "/api/v1/me", token, nil)
	assert.Equal(t, http.StatusUnauthorized, status, "the very next request is refused")
	status, again := call(t, s.srv, "POST", "/api/v1/tokens/"+id+"/revoke", adminToken, map[string]any{"reason": "leaked"})
	assert.Equal(t, http.StatusConflict, status, again)
	status, missing := call(t, s.srv, "POST", "/api/v1/tokens/7f6b3c1e-0000-4000-8000-000000000000/revoke", adminToken, nil)
	assert.Equal(t, http.StatusNotFound, status, missing)
}

func TestAPITokenMintingIsBoundedByTheCallersRole(t *testing.T) {
	s := newTokenStack(t)
	devops := s.mint(t, adminToken, map[string]any{"role": "DEVOPS", "team": "payments"})["token"].(string)
	secops := s.mint(t, adminToken, map[string]any{"role": "SEC_OPS"})["token"].(string)
	tests := []struct {
		name   string
		by     string
		body   map[string]any
		status int
	}{
		{"devops mints devops for its team", devops, map[string]any{"role": "DEVOPS", "team": "payments"}, http.StatusCreated},
		{"devops mints viewer", devops, map[string]any{"role": "VIEWER"}, http.StatusCreated},
		{"devops may not mint sec_ops", devops, map[string]any{"role": "SEC_OPS"}, http.StatusForbidden},
		{"devops may not mint for another team", devops, map[string]any{"role": "DEVOPS", "team": "search"}, http.StatusForbidden},
		{"devops token needs a team", devops, map[string]any{"role": "DEVOPS"}, http.StatusBadRequest},
		{"sec_ops may not mint admin", secops, map[string]any{"role": "ADMIN"}, http.StatusForbidden},
		{"sec_ops mints for any team", secops, map[string]any{"role": "DEVOPS", "team": "search", "ttl": "1h"}, http.StatusCreated},
		{"admin mints admin", adminToken, map[string]any{"role": "ADMIN", "ttl": "365d"}, http.StatusCreated},
		{"unknown role", adminToken, map[string]any{"role": "ROOT"}, http.StatusBadRequest},
		{"lifetime too short", adminToken, map[string]any{"role": "VIEWER", "ttl": "30m"}, http.StatusBadRequest},
		{"lifetime too long", adminToken, map[string]any{"role": "VIEWER", "ttl": "366d"}, http.StatusBadRequest},
		{"lifetime unreadable", adminToken, map[string]any{"role": "VIEWER", "ttl": "forever"}, http.StatusBadRequest},
		{"description too long", adminToken, map[string]any{"role": "VIEWER", "description": strings.Repeat("x", 201)}, http.StatusBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, out := call(t, s.srv, "POST", "/api/v1/tokens", tc.by, tc.body)
			assert.Equal(t, tc.status, status, out)
		})
	}
}

func TestTokensAreVisibleToTheirIssuerAndSecOps(t *testing.T) {
	s := newTokenStack(t)
	devops := s.mint(t, adminToken, map[string]any{"role": "DEVOPS", "team": "payments"})
	secops := s.mint(t, adminToken, map[string]any{"role": "SEC_OPS"})
	viewer := s.mint(t, devops["token"].(string), map[string]any{"role": "VIEWER"})
	s.waitLive(t)

	ids := func(by string) []any {
		status, out := call(t, s.srv, "GET", "/api/v1/tokens", by, nil)
		require.Equal(t, http.StatusOK, status, out)
		var ids []any
		for _, item := range out["items"].([]any) {
			ids = append(ids, item.(map[string]any)["id"])
			assert.NotContains(t, item, "token", "lists carry no secrets")
		}
		return ids
	}
	assert.Equal(t, []any{viewer["id"]}, ids(devops["token"].(string)), "DEVOPS sees what it issued")
	all := []any{viewer["id"], secops["id"], devops["id"]}
	assert.Equal(t, all, ids(secops["token"].(string)), "SEC_OPS sees every token, newest first")
	assert.Equal(t, all, ids(adminToken))
	assert.Empty(t, ids(viewer["token"].(string)))

	status, out := call(t, s.srv, "GET", "/api/v1/tokens/"+viewer["id"].(string), devops["token"].(string), nil)
	assert.Equal(t, http.StatusOK, status, out)
	assert.NotContains(t, out, "token", "shown once only")
	status, out = call(t, s.srv, "GET", "/api/v1/tokens/"+secops["id"].(string), devops["token"].(string), nil)
	assert.Equal(t, http.StatusForbidden, status, out)
	status, out = call(t, s.srv, "POST", "/api/v1/tokens/"+secops["id"].(string)+"/revoke", devops["token"].(string), nil)
	assert.Equal(t, http.StatusForbidden, status, out)
	status, out = call(t, s.srv, "GET", "/api/v1/tokens/"+viewer["id"].(string), secops["token"].(string), nil)
	assert.Equal(t, http.StatusOK, status, out)
	status, out = call(t, s.srv, "GET", "/api/v1/tokens/7f6b3c1e-0000-4000-8000-000000000000", adminToken, nil)
	assert.Equal(t, http.StatusNotFound, status, out)
}

func TestMalformedAPITokensAre401(t *testing.T) {
	s := newTokenStack(t)
	token := s.mint(t, adminToken, map[string]any{"role": "VIEWER"})["token"].(string)
	for name, bad := range map[string]string{
		"wrong prefix":   "clx_" + token[4:],
		"bad hex":        "clt_" + strings.Repeat("z", 32) + token[36:],
		"upper-case hex": "clt_" + strings.ToUpper(token[4:36]) + token[36:],
		"too short":      token[:len(token)-1],
		"too long":       token + "A",
		"wrong secret":   token[:37] + strings.Repeat("A", 43),
	} {
		status, out := call(t, s.srv, "GET", "/api/v1/me", bad, nil)
		assert.Equal(t, http.StatusUnauthorized, status, "%s: %v", name, out)
	}
}

func TestTheSecretIsInNoEventAndARetryMintsNothing(t *testing.T) {
	s := newTokenStack(t)
	first, out := call(t, s.srv, "POST", "/api/v1/tokens", adminToken, map[string]any{"role": "VIEWER"}, "Idempotency-Key", "mint-1")
	require.Equal(t, http.StatusCreated, first, out)
	token := out["token"].(string)
	status, retry := call(t, s.srv, "POST", "/api/v1/tokens", adminToken, map[string]any{"role": "VIEWER"}, "Idempotency-Key", "mint-1")
	assert.Equal(t, http.StatusConflict, status, retry)
	assert.Contains(t, retry["detail"], "its secret was shown once")
	assert.NotContains(t, retry, "token")

	issued := 0
	for raw, err := range s.store.ReadAll(context.Background(), 0) {
		require.NoError(t, err)
		for _, part := range []string{string(raw.Data), string(raw.StoredMetadata)} {
			assert.NotContains(t, part, token)
			assert.NotContains(t, part, token[37:], "not even the secret part")
		}
		if raw.Type == "APITokenIssued" {
			issued++
		}
	}
	assert.Equal(t, 1, issued, "the retry minted nothing")
	status, me := call(t, s.srv, "GET", "/api/v1/me", token, nil)
	assert.Equal(t, http.StatusOK, status, me)
}
