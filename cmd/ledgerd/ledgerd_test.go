package main_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLedgerdServesAndStopsCleanly runs the real binary on embedded defaults (the local Postgres
// from DATABASE_URL or 127.0.0.1:5432), waits until it is ready, and stops it with SIGTERM.
func TestLedgerdServesAndStopsCleanly(t *testing.T) {
	dataDir := t.TempDir()
	l := startLedgerd(t, "LEDGER_DATA_DIR="+dataDir)

	status, checks := waitReadyz(t, l, http.StatusOK)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, map[string]string{"eventstore": "ok", "postgres": "ok"}, checks)
	assert.Equal(t, http.StatusOK, get(t, l.base+"/healthz"))
	assert.DirExists(t, filepath.Join(dataDir, "eventstore"))

	require.NoError(t, l.cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, l.wait(t), "ledgerd must exit 0 after SIGTERM")
	assert.Contains(t, l.logs.String(), "HTTP server stopped")
	_, err := net.DialTimeout("tcp", l.storeAddr, time.Second)
	assert.Error(t, err, "the embedded store must stop listening")
}

// TestLedgerdRunsWithoutPostgres checks that an unreachable Postgres is reported by /readyz
// instead of stopping ledgerd.
func TestLedgerdRunsWithoutPostgres(t *testing.T) {
	closedPort := freeAddr(t)
	l := startLedgerd(t, "DATABASE_URL=postgres://"+closedPort+"/test?sslmode=disable&connect_timeout=1")

	status, checks := waitReadyz(t, l, http.StatusServiceUnavailable)
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.Equal(t, "ok", checks["eventstore"])
	assert.Contains(t, checks["postgres"], "pinging Postgres")
	assert.Equal(t, http.StatusOK, get(t, l.base+"/healthz"))

	require.NoError(t, l.cmd.Process.Signal(syscall.SIGINT))
	require.NoError(t, l.wait(t), "ledgerd must exit 0 after SIGINT")
}

// TestLedgerdReportsAnUnreachableEventStore points ledgerd at an external event store that is
// not there: it must keep serving and report the store in /readyz.
func TestLedgerdReportsAnUnreachableEventStore(t *testing.T) {
	closedPort := freeAddr(t)
	l := startLedgerd(t, "LEDGER_EVENTSTORE_URL=esdb://"+closedPort+"?tls=false")

	status, checks := waitReadyz(t, l, http.StatusServiceUnavailable)
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.NotEqual(t, "ok", checks["eventstore"])
	assert.NotEmpty(t, checks["eventstore"])

	require.NoError(t, l.cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, l.wait(t), "ledgerd must exit 0 after SIGTERM")
}

func TestLedgerdRejectsInvalidConfig(t *testing.T) {
	l := startLedgerd(t, "LEDGER_LOG_FORMAT=xml")

	err := l.wait(t)

	var exitErr *exec.ExitError
	require.ErrorAs(t, err, &exitErr)
	assert.Equal(t, 2, exitErr.ExitCode())
	assert.Contains(t, l.logs.String(), `LEDGER_LOG_FORMAT / -log-format: "xml" is neither text nor json`)
}

// waitReadyz polls /readyz until it answers want, failing if ledgerd exits or 60 s pass. It
// returns the last status and checks seen.
func waitReadyz(t *testing.T, l *ledgerd, want int) (int, map[string]string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var status int
	var body struct {
		Checks map[string]string `json:"checks"`
	}
	for {
		select {
		case err := <-l.exited:
			t.Fatalf("ledgerd exited before /readyz said %d: %v", want, err)
		case <-ctx.Done():
			t.Fatalf("/readyz did not say %d within 60s; last: %d %v", want, status, body.Checks)
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := http.Get(l.base + "/readyz")
		if err != nil {
			continue
		}
		status = resp.StatusCode
		body.Checks = nil
		decErr := json.NewDecoder(resp.Body).Decode(&body)
		_ = resp.Body.Close()
		if status == want && decErr == nil {
			return status, body.Checks
		}
	}
}

func get(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return resp.StatusCode
}
