package main_test

import (
	"bufio"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLedgerdServesTheDashboard signs in to the real binary's dashboard with the bootstrap
// token, reads the overview and its embedded assets, and stops ledgerd with SIGTERM while a
// live feed is open: the feed ends and ledgerd exits 0.
func TestLedgerdServesTheDashboard(t *testing.T) {
	dataDir := t.TempDir()
	l := startLedgerd(t, "LEDGER_DATA_DIR="+dataDir)
	waitReadyz(t, l, http.StatusOK)
	token, err := os.ReadFile(filepath.Join(dataDir, "admin.token"))
	require.NoError(t, err)

	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	h := &http.Client{Jar: jar}
	read := func(resp *http.Response, err error) (int, string) {
		t.Helper()
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(body)
	}
	status, form := read(h.Get(l.base + "/"))
	require.Equal(t, http.StatusOK, status, "signed out, / leads to the sign-in form")
	nonce := regexp.MustCompile(`name="nonce" value="([^"]+)"`).FindStringSubmatch(form)
	require.Len(t, nonce, 2, form)
	status, overview := read(h.PostForm(l.base+"/ui/signin", url.Values{"token": {strings.TrimSpace(string(token))}, "nonce": {nonce[1]}}))
	if status == http.StatusServiceUnavailable { // ready before the read models' first schema: the page says so
		assert.Contains(t, overview, "not ready yet")
		require.EventuallyWithT(t, func(c *assert.CollectT) {
			status, overview = read(h.Get(l.base + "/"))
			assert.Equal(c, http.StatusOK, status)
		}, 30*time.Second, 50*time.Millisecond)
	}
	require.Equal(t, http.StatusOK, status, overview)
	assert.Contains(t, overview, `id="count-valid"`)
	assert.NotContains(t, overview, strings.TrimSpace(string(token)))
	status, script := read(h.Get(l.base + "/ui/static/app.js"))
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, script, "EventSource")

	feed, err := h.Get(l.base + "/ui/events")
	require.NoError(t, err)
	defer feed.Body.Close()
	assert.Equal(t, "text/event-stream", feed.Header.Get("Content-Type"))
	first, err := bufio.NewReader(feed.Body).ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, ": live\n", first)

	require.NoError(t, l.cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, l.wait(t), "ledgerd must exit 0 after SIGTERM with a live feed open")
}
