package dashboard_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/clienttest"
)

// TestVerifyHistorySaysWhatNoCheckpointCoversYet: a certificate issued after the latest
// checkpoint is not passed as verified; once a checkpoint covers it, every event verifies.
func TestVerifyHistorySaysWhatNoCheckpointCoversYet(t *testing.T) {
	w := newWorld(t)
	w.l.Checkpoint(t)
	late := w.issue(t, "web", "late.example.com")
	h := browserless(t)
	signIn(t, h, w.l.URL, clienttest.AdminToken)

	resp, page := get(t, h, w.l.URL+"/ui/certificates/"+late.ID+"/verify")
	require.Equal(t, http.StatusOK, resp.StatusCode, page)
	assert.Contains(t, page, "NOT VERIFIED")
	assert.Contains(t, page, "no signed checkpoint covers")

	w.l.Checkpoint(t)
	_, page = get(t, h, w.l.URL+"/ui/certificates/"+late.ID+"/verify")
	assert.Contains(t, page, "VERIFIED: every event")
	assert.NotContains(t, page, "✗")

	resp, _ = get(t, h, w.l.URL+"/ui/certificates/7f6b3c1e-0000-4000-8000-000000000000/verify")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "the API's 404 for an unknown certificate")
}
