package main_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/events"
)

// TestLedgerdForwardsToSIEM runs ledgerd with a SIEM configuration holding a file sink: the
// events of its commands arrive there as CloudEvents, /metrics reports the sink, and SIGTERM
// still stops ledgerd cleanly.
func TestLedgerdForwardsToSIEM(t *testing.T) {
	dir, dataDir := t.TempDir(), t.TempDir()
	archive := filepath.Join(dir, "events.jsonl")
	cfgPath := filepath.Join(dir, "siem.json")
	require.NoError(t, os.WriteFile(cfgPath, fmt.Appendf(nil,
		`{"source":"urn:certledger:test","sinks":[{"name":"archive","kind":"file","path":%q}]}`, archive), 0o600))
	l := startLedgerd(t, "LEDGER_DATA_DIR="+dataDir, "LEDGER_SIEM_CONFIG="+cfgPath)
	waitReadyz(t, l, http.StatusOK)
	token, err := os.ReadFile(filepath.Join(dataDir, "admin.token"))
	require.NoError(t, err)
	c := client.New(l.base, strings.TrimSpace(string(token)))
	mint(t, c, 3)

	var got []events.CloudEvent
	require.Eventually(t, func() bool {
		got = readCloudEvents(t, archive)
		return len(got) >= 3
	}, 30*time.Second, 50*time.Millisecond, "events in %s", archive)
	for _, ce := range got {
		assert.Equal(t, "urn:certledger:test", ce.Source)
		assert.True(t, strings.HasPrefix(ce.Type, events.CloudEventTypePrefix), ce.Type)
	}

	req, err := http.NewRequest(http.MethodGet, l.base+"/metrics", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.Contains(t, string(body), `certledger_siem_published_total{sink="archive"}`)
	assert.Contains(t, string(body), `certledger_siem_lag_events{sink="archive"}`)

	require.NoError(t, l.cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, l.wait(t), "ledgerd must exit 0 after SIGTERM")
	assert.Contains(t, l.logs.String(), "SIEM forwarder started")
}

func TestLedgerdRejectsABadSIEMConfig(t *testing.T) {
	cfgPath := filepath.Join(t.TempDir(), "siem.json")
	require.NoError(t, os.WriteFile(cfgPath, []byte(`{"sinks":[{"name":"soc","kind":"nats","url":"nats://127.0.0.1:4222","subject":"a.>"}]}`), 0o600))
	l := startLedgerd(t, "LEDGER_SIEM_CONFIG="+cfgPath)

	err := l.wait(t)

	var exitErr *exec.ExitError
	require.ErrorAs(t, err, &exitErr)
	assert.Equal(t, 2, exitErr.ExitCode())
	assert.Contains(t, l.logs.String(), "LEDGER_SIEM_CONFIG / -siem-config")
	assert.Contains(t, l.logs.String(), `LEDGER_SIEM_CONFIG / -siem-config: `+cfgPath+`: sink "soc": subject "a.>" must match`)
}

// readCloudEvents parses the lines of a JSON-lines file, none before it exists.
func readCloudEvents(t *testing.T, path string) []events.CloudEvent {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer func() { _ = f.Close() }()
	var out []events.CloudEvent
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var ce events.CloudEvent
		require.NoError(t, json.Unmarshal(sc.Bytes(), &ce), "line %q", sc.Text())
		out = append(out, ce)
	}
	return out
}
