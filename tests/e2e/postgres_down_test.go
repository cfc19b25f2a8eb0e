package e2e_test

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/testutil"
)

// TestStartsWithoutPostgres: with nothing listening where DATABASE_URL points, ledgerd still
// starts and serves, says in its log how to start Postgres or point at one, and /readyz answers
// 503 naming the postgres check while the event store is fine.
func TestStartsWithoutPostgres(t *testing.T) {
	nowhere := "postgres://" + testutil.FreeAddr(t) + "/test?sslmode=disable&connect_timeout=1"
	l, logs := launchLedgerd(t, "DATABASE_URL="+nowhere)

	require.Eventually(t, func() bool { return l.readyz() == http.StatusServiceUnavailable }, 60*time.Second,
		100*time.Millisecond, "ledgerd never served /readyz:\n%s", logs)
	resp, err := http.Get(l.base + "/readyz")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Contains(t, string(body), `"eventstore":"ok"`)
	assert.Regexp(t, `"postgres":"[^"]*(refused|connect)`, string(body), "readyz must name what is wrong with Postgres")

	health, err := http.Get(l.base + "/healthz")
	require.NoError(t, err)
	health.Body.Close()
	assert.Equal(t, http.StatusOK, health.StatusCode)
	assert.Contains(t, logs.String(), "start Postgres (Debian: pg_ctlcluster 15 main start) or point DATABASE_URL")
}
