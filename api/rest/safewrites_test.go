package rest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
)

// lastPosition is the newest position in $all: unchanged means nothing was appended.
func lastPosition(t *testing.T, store *eventstore.Store) uint64 {
	t.Helper()
	pos, err := store.LastPosition(context.Background())
	require.NoError(t, err)
	return pos
}

func TestRetriesWithAnIdempotencyKeyAppendNothing(t *testing.T) {
	srv, store := serverAndStore(t)
	caID := setup(t, srv)
	body := map[string]any{"ca_id": caID, "profile": "web", "csr": csr(t, "retry.example.com")}
	status, first := call(t, srv, "POST", "/api/v1/certificates", adminToken, body, "Idempotency-Key", "deploy-42")
	require.Equal(t, http.StatusCreated, status, first)
	before := lastPosition(t, store)
	for range 3 {
		status, again := call(t, srv, "POST", "/api/v1/certificates", adminToken, body, "Idempotency-Key", "deploy-42")
		require.Equal(t, http.StatusCreated, status, again)
		assert.Equal(t, first["serial"], again["serial"])
	}
	path := "/api/v1/certificates/" + first["id"].(string) + "/revoke"
	status, revoked := call(t, srv, "POST", path, adminToken, map[string]any{"reason": "superseded"}, "Idempotency-Key", "rev-1")
	require.Equal(t, http.StatusOK, status, revoked)
	after := lastPosition(t, store)
	status, again := call(t, srv, "POST", path, adminToken, map[string]any{"reason": "superseded"}, "Idempotency-Key", "rev-1")
	assert.Equal(t, http.StatusOK, status, "a retried revocation answers as the first did: %v", again)
	assert.Equal(t, after, lastPosition(t, store), "the retry appended nothing")
	assert.Greater(t, after, before)
}

func TestIfMatchGuardsCommands(t *testing.T) {
	srv, store := serverAndStore(t)
	caID := setup(t, srv)
	_, cert := call(t, srv, "POST", "/api/v1/certificates", adminToken, map[string]any{"ca_id": caID, "profile": "web", "csr": csr(t, "etag.example.com")})
	id := cert["id"].(string)
	rev := fmt.Sprint(cert["revision"])
	before := lastPosition(t, store)

	for _, tc := range []struct {
		ifMatch string
		status  int
	}{
		{`"0"`, http.StatusPreconditionFailed}, {"999", http.StatusPreconditionFailed}, {`"abc"`, http.StatusBadRequest},
	} {
		status, problem := call(t, srv, "POST", "/api/v1/certificates/"+id+"/revoke", adminToken, map[string]any{"reason": "superseded"}, "If-Match", tc.ifMatch)
		assert.Equal(t, tc.status, status, "If-Match %s: %v", tc.ifMatch, problem)
	}
	assert.Equal(t, before, lastPosition(t, store), "refused preconditions append nothing")
	status, revoked := call(t, srv, "POST", "/api/v1/certificates/"+id+"/revoke", adminToken, map[string]any{"reason": "superseded"}, "If-Match", `"`+rev+`"`)
	require.Equal(t, http.StatusOK, status, revoked)
	assert.Equal(t, "revoked", revoked["status"])
}

func TestConcurrentConflictingCommandsOneWins(t *testing.T) {
	srv, _ := serverAndStore(t)
	caID := setup(t, srv)
	_, cert := call(t, srv, "POST", "/api/v1/certificates", adminToken, map[string]any{"ca_id": caID, "profile": "web", "csr": csr(t, "race.example.com")})
	path := "/api/v1/certificates/" + cert["id"].(string) + "/revoke"
	const racers = 8
	statuses := make(chan int, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			status, _ := call(t, srv, "POST", path, adminToken, map[string]any{"reason": "keyCompromise"}, "Idempotency-Key", fmt.Sprint("racer-", i))
			statuses <- status
		})
	}
	wg.Wait()
	close(statuses)
	counts := map[int]int{}
	for s := range statuses {
		counts[s]++
	}
	assert.Equal(t, map[int]int{http.StatusOK: 1, http.StatusConflict: racers - 1}, counts)
	_, history := call(t, srv, "GET", "/api/v1/certificates/"+cert["id"].(string)+"/history", adminToken, nil)
	var revocations int
	for _, e := range history["events"].([]any) {
		if e.(map[string]any)["type"] == "CertificateRevoked" {
			revocations++
		}
	}
	assert.Equal(t, 1, revocations)
}

func TestBadBodiesChangeNothing(t *testing.T) {
	srv, store := serverAndStore(t)
	caID := setup(t, srv)
	before := lastPosition(t, store)
	huge := `{"ca_id":"` + caID + `","profile":"web","csr":"` + strings.Repeat("A", 70<<10) + `"}`
	for _, tc := range []struct {
		name, body string
		status     int
	}{
		{"oversized", huge, http.StatusRequestEntityTooLarge},
		{"truncated", `{"ca_id":"` + caID, http.StatusBadRequest},
		{"two objects", `{"profile":"web"} {"profile":"web"}`, http.StatusBadRequest},
		{"wrong type", `{"validity_days":"ninety"}`, http.StatusBadRequest},
		{"unknown field", `{"ca_id":"` + caID + `","is_admin":true}`, http.StatusBadRequest},
		{"array", `[]`, http.StatusBadRequest},
	} {
		status, problem := call(t, srv, "POST", "/api/v1/certificates", adminToken, tc.body)
		assert.Equal(t, tc.status, status, "%s: %v", tc.name, problem)
		assert.Contains(t, problem["type"], "https://certledger.dev/problems/", tc.name)
	}
	assert.Equal(t, before, lastPosition(t, store), "no event was appended")
}
