// Package e2e_test drives a real ledgerd process the way a user does, with HTTP and the openssl
// command-line client, and checks the PKI core issue's promise end to end: a certificate issued
// from an `openssl req` CSR is good for `openssl ocsp`, and once revoked, `openssl ocsp` says
// revoked with the reason within a second and `openssl verify -crl_check` fails with
// "certificate revoked".
package e2e_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/tests/testutil"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testutil.CleanupBuilds()
	os.Exit(code)
}

// ledgerd is a ledgerd process on embedded defaults, with its own data folder and database.
type ledgerd struct {
	base, token, dir    string
	storeURL, dbURL     string
	httpAddr, storeAddr string
	stop                func()
}

// startLedgerd starts a ledgerd on embedded defaults with its own data folder, ports and
// database (env overrides), and waits until /readyz answers 200.
func startLedgerd(t *testing.T, env ...string) *ledgerd {
	t.Helper()
	l, logs := launchLedgerd(t, env...)
	l.waitReady(t, logs)
	return l
}

// launchLedgerd starts ledgerd like startLedgerd, without waiting for it; it is stopped with
// SIGINT when the test ends, and its output is logged if the test failed.
func launchLedgerd(t *testing.T, env ...string) (*ledgerd, *testutil.SyncBuffer) {
	t.Helper()
	l := &ledgerd{dir: t.TempDir(), dbURL: pgtest.NewDatabaseURL(t), httpAddr: testutil.FreeAddr(t), storeAddr: testutil.FreeAddr(t)}
	l.base, l.storeURL = "http://"+l.httpAddr, "esdb://"+l.storeAddr+"?tls=false"
	return l, l.launch(t, env...)
}

// restart stops ledgerd and starts it again on the same folder, ports and database, with env,
// and waits until it is ready.
func (l *ledgerd) restart(t *testing.T, env ...string) {
	t.Helper()
	l.stop()
	l.waitReady(t, l.launch(t, env...))
}

// launch starts the process on l's folder, ports and database; l.stop (and the test's end)
// stops it.
func (l *ledgerd) launch(t *testing.T, env ...string) *testutil.SyncBuffer {
	t.Helper()
	bin := testutil.Build(t, "github.com/certledger/certledger/cmd/ledgerd", false)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "LEDGER_HTTP_ADDR="+l.httpAddr, "LEDGER_EVENTSTORE_ADDR="+l.storeAddr,
		"LEDGER_EVENTSTORE_URL=", "LEDGER_DATA_DIR="+l.dir, "DATABASE_URL="+l.dbURL)
	cmd.Env = append(cmd.Env, env...)
	logs := &testutil.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(t, cmd.Start())
	l.stop = sync.OnceFunc(func() { stopWithin(cmd, func(sig os.Signal) { _ = cmd.Process.Signal(sig) }) })
	stop := l.stop
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("ledgerd output:\n%s", logs.String())
		}
	})
	return logs
}

// waitReady waits until /readyz answers 200, then reads the bootstrap admin token.
func (l *ledgerd) waitReady(t *testing.T, logs *testutil.SyncBuffer) {
	t.Helper()
	require.Eventually(t, func() bool { return l.readyz() == http.StatusOK }, 60*time.Second, 100*time.Millisecond,
		"ledgerd never became ready:\n%s", logs)
	token, err := os.ReadFile(filepath.Join(l.dir, "admin.token"))
	require.NoError(t, err)
	l.token = strings.TrimSpace(string(token))
}

// stopWithin sends SIGINT through signal, as Ctrl-C would, waits for cmd to end, and sends
// SIGKILL if it has not within 15 s.
func stopWithin(cmd *exec.Cmd, signal func(os.Signal)) {
	signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		signal(os.Kill)
		<-done
	}
}

// readyz returns the status code of GET /readyz, or 0 while nothing answers.
func (l *ledgerd) readyz() int {
	resp, err := http.Get(l.base + "/readyz")
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// post sends a JSON command with the bootstrap admin token and decodes the answer.
func (l *ledgerd) post(t *testing.T, path string, body any, want int) map[string]any {
	t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, l.base+path, bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+l.token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	require.Equal(t, want, resp.StatusCode, "%s: %s", path, out)
	var m map[string]any
	require.NoError(t, json.Unmarshal(out, &m))
	return m
}

// get sends an authenticated GET and decodes the JSON answer.
func (l *ledgerd) get(t *testing.T, path string) map[string]any {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, l.base+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+l.token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", path, out)
	var m map[string]any
	require.NoError(t, json.Unmarshal(out, &m))
	return m
}

// download saves an anonymous GET to a file; it reports whether the answer was 200.
func (l *ledgerd) download(t *testing.T, path, file string) bool {
	t.Helper()
	resp, err := http.Get(l.base + path)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Logf("GET %s: %d %s", path, resp.StatusCode, body)
		return false
	}
	require.NoError(t, os.WriteFile(file, body, 0o600))
	return true
}

// ledgerctl runs the real ledgerctl against this ledger and returns its output and exit code.
func (l *ledgerd) ledgerctl(t *testing.T, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(testutil.Build(t, "github.com/certledger/certledger/cmd/ledgerctl", false), args...)
	cmd.Env = append(os.Environ(), "LEDGER_EVENTSTORE_URL="+l.storeURL, "DATABASE_URL="+l.dbURL,
		"LEDGER_URL="+l.base, "LEDGER_TOKEN="+l.token)
	out, err := cmd.CombinedOutput()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return string(out), code
}

// openssl runs the openssl command and returns its combined output.
func openssl(t *testing.T, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command("openssl", args...).CombinedOutput()
	return string(out), err
}
