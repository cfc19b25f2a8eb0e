package rest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/tests/clienttest"
	"github.com/certledger/certledger/tests/testutil"
)

func TestMain(m *testing.M) { hsmtest.Main(m) }

// adminToken stands for subject "admin" with the ADMIN role.
const adminToken = clienttest.AdminToken

// server is the REST API over real command handlers, a real embedded store, SoftHSM and the
// read models in Postgres.
func server(t *testing.T) *httptest.Server {
	t.Helper()
	return clienttest.Start(t).Server
}

// serverAndStore is server, with the event store behind it.
func serverAndStore(t *testing.T) (*httptest.Server, *eventstore.Store) {
	t.Helper()
	l := clienttest.Start(t)
	return l.Server, l.Store
}

// call sends a JSON request and decodes the JSON answer.
func call(t *testing.T, srv *httptest.Server, method, path, token string, body any, headers ...string) (int, map[string]any) {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = bytes.NewReader([]byte(b))
	default:
		raw, err := json.Marshal(b)
		require.NoError(t, err)
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, srv.URL+path, r)
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
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

func csr(t *testing.T, names ...string) string { return string(testutil.CSR(t, names...)) }

// setup creates a root CA and a "web" profile and returns the CA id.
func setup(t *testing.T, srv *httptest.Server) string {
	status, ca := call(t, srv, "POST", "/api/v1/cas", adminToken, map[string]any{"name": "Root", "common_name": "Test Root", "key_algorithm": "ecdsa-p256"})
	require.Equal(t, http.StatusCreated, status, ca)
	status, p := call(t, srv, "POST", "/api/v1/profiles", adminToken, map[string]any{"name": "web", "allowed_domains": []string{"example.com"},
		"key_types": []string{"ecdsa-p256"}, "max_validity_days": 90, "requires_approval": false})
	require.Equal(t, http.StatusCreated, status, p)
	return ca["id"].(string)
}
