package main_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLedgerdEndsEventStreamsWhenItStops opens a following event stream and stops ledgerd: the
// stream must not hold up the shutdown, which waits for every handler.
func TestLedgerdEndsEventStreamsWhenItStops(t *testing.T) {
	dataDir := t.TempDir()
	l := startLedgerd(t, "LEDGER_DATA_DIR="+dataDir)
	waitReadyz(t, l, http.StatusOK)
	token, err := os.ReadFile(filepath.Join(dataDir, "admin.token"))
	require.NoError(t, err)

	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, l.base+"/api/v1/events/stream?from=start", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	ended := make(chan error, 1)
	go func() { _, err := io.Copy(io.Discard, resp.Body); ended <- err }()

	stopped := time.Now()
	require.NoError(t, l.cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, l.wait(t), "ledgerd must exit 0 after SIGTERM with a stream open")
	assert.Less(t, time.Since(stopped), 5*time.Second, "the stream ended at once, not after the shutdown timeout")
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the stream did not end")
	}
}
