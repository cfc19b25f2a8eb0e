package rest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIssueRevokeAndErrors(t *testing.T) {
	srv := server(t)
	caID := setup(t, srv)
	body := map[string]any{"ca_id": caID, "profile": "web", "csr": csr(t, "www.example.com"), "team": "web"}

	status, cert := call(t, srv, "POST", "/api/v1/certificates", adminToken, body)
	require.Equal(t, http.StatusCreated, status, cert)
	assert.Equal(t, "issued", cert["status"])
	assert.NotEmpty(t, cert["serial"])
	assert.Contains(t, cert["certificate"], "BEGIN CERTIFICATE")

	status, revoked := call(t, srv, "POST", "/api/v1/certificates/"+cert["id"].(string)+"/revoke", adminToken, map[string]any{"reason": "keyCompromise"})
	require.Equal(t, http.StatusOK, status, revoked)
	assert.Equal(t, "revoked", revoked["status"])
	status, again := call(t, srv, "POST", "/api/v1/certificates/"+cert["id"].(string)+"/revoke", adminToken, map[string]any{"reason": "keyCompromise"})
	assert.Equal(t, http.StatusConflict, status, again)

	tests := []struct {
		name   string
		token  string
		path   string
		body   any
		status int
		typ    string
	}{
		{"no token", "", "/api/v1/certificates", body, http.StatusUnauthorized, "unauthenticated"},
		{"forged token", "not-a-token", "/api/v1/certificates", body, http.StatusUnauthorized, "unauthenticated"},
		{"malformed JSON", adminToken, "/api/v1/certificates", `{"ca_id":`, http.StatusBadRequest, "invalid-request"},
		{"unknown field", adminToken, "/api/v1/certificates", `{"serial":"01"}`, http.StatusBadRequest, "invalid-request"},
		{"malformed CSR", adminToken, "/api/v1/certificates", map[string]any{"ca_id": caID, "profile": "web", "csr": "x"}, http.StatusBadRequest, "invalid-request"},
		{"policy", adminToken, "/api/v1/certificates", map[string]any{"ca_id": caID, "profile": "web", "csr": csr(t, "a.evil.net"), "validity_days": 400}, http.StatusUnprocessableEntity, "policy-violation"},
		{"unknown CA", adminToken, "/api/v1/certificates", map[string]any{"ca_id": "7f6b3c1e-0000-4000-8000-000000000000", "profile": "web", "csr": csr(t, "www.example.com")}, http.StatusNotFound, "not-found"},
		{"unknown certificate", adminToken, "/api/v1/certificates/7f6b3c1e-0000-4000-8000-000000000000/approve", map[string]any{}, http.StatusNotFound, "not-found"},
		{"id that is no UUID", adminToken, "/api/v1/certificates/42", nil, http.StatusNotFound, "not-found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			method := "POST"
			if tc.body == nil {
				method = "GET"
			}
			status, problem := call(t, srv, method, tc.path, tc.token, tc.body)
			assert.Equal(t, tc.status, status, problem)
			assert.Equal(t, "https://certledger.dev/problems/"+tc.typ, problem["type"])
			if tc.typ == "policy-violation" {
				assert.GreaterOrEqual(t, len(problem["violations"].([]any)), 2, "every violation is listed")
			}
		})
	}
}

func TestIdempotencyKeyIssuesOnce(t *testing.T) {
	srv := server(t)
	caID := setup(t, srv)
	body := map[string]any{"ca_id": caID, "profile": "web", "csr": csr(t, "api.example.com")}
	_, first := call(t, srv, "POST", "/api/v1/certificates", adminToken, body, "Idempotency-Key", "order-1234")
	status, retry := call(t, srv, "POST", "/api/v1/certificates", adminToken, body, "Idempotency-Key", "order-1234")
	require.Equal(t, http.StatusCreated, status, retry)
	assert.Equal(t, first["id"], retry["id"])
	assert.Equal(t, first["serial"], retry["serial"], "the retry answers with the certificate issued the first time")
	_, other := call(t, srv, "POST", "/api/v1/certificates", adminToken, body, "Idempotency-Key", "order-1235")
	assert.NotEqual(t, first["id"], other["id"])
}

func TestCACertificateDownloadIsAnonymous(t *testing.T) {
	srv := server(t)
	caID := setup(t, srv)
	resp, err := http.Get(srv.URL + "/api/v1/cas/" + caID + "/certificate")
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/x-pem-file", resp.Header.Get("Content-Type"))
}

func TestRevokeACAThenItCannotIssue(t *testing.T) {
	srv := server(t)
	root := setup(t, srv)
	status, inter := call(t, srv, "POST", "/api/v1/cas", adminToken, map[string]any{"name": "Issuing", "common_name": "Test Issuing",
		"key_algorithm": "ecdsa-p256", "parent_id": root})
	require.Equal(t, http.StatusCreated, status, inter)
	id := inter["id"].(string)

	status, revoked := call(t, srv, "POST", "/api/v1/cas/"+id+"/revoke", adminToken, map[string]any{"reason": "cACompromise"})
	require.Equal(t, http.StatusOK, status, revoked)
	assert.Equal(t, "revoked", revoked["status"])
	status, again := call(t, srv, "POST", "/api/v1/cas/"+id+"/revoke", adminToken, map[string]any{"reason": "cACompromise"})
	assert.Equal(t, http.StatusConflict, status, again)

	status, problem := call(t, srv, "POST", "/api/v1/certificates", adminToken,
		map[string]any{"ca_id": id, "profile": "web", "csr": csr(t, "www.example.com")})
	assert.GreaterOrEqual(t, status, 400, "a revoked CA issues nothing: %v", problem)
	assert.Less(t, status, 500)
}
