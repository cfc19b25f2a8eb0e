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
	base, token, dir string
	storeURL, dbURL  string
	cmd              *exec.Cmd
	env              []string
}

// startLedgerd starts a ledgerd on embedded defaults with its own data folder, ports and
// database (env overrides), and waits until /readyz answers 200 and the read models exist
// (ledgerd creates them in the background, after it is ready).
func startLedgerd(t testing.TB, env ...string) *ledgerd {
	t.Helper()
	l, logs := launchLedgerd(t, env...)
	require.Eventually(t, func() bool { return l.readyz() == http.StatusOK }, 60*time.Second, 100*time.Millisecond,
		"ledgerd never became ready:\n%s", logs)
	token, err := os.ReadFile(filepath.Join(l.dir, "admin.token"))
	require.NoError(t, err)
	l.token = strings.TrimSpace(string(token))
	require.Eventually(t, func() bool { return l.status("/api/v1/certificates") == http.StatusOK }, 60*time.Second, 100*time.Millisecond,
		"the read models never appeared:\n%s", logs)
	return l
}

// status is the status code of an authenticated GET, 0 while nothing answers.
func (l *ledgerd) status(path string) int {
	req, err := http.NewRequest(http.MethodGet, l.base+path, nil)
	if err != nil {
		return 0
	}
	req.Header.Set("Authorization", "Bearer "+l.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// launchLedgerd starts ledgerd like startLedgerd, without waiting for it; it is stopped with
// SIGINT when the test ends, and its output is logged if the test failed.
func launchLedgerd(t testing.TB, env ...string) (*ledgerd, *testutil.SyncBuffer) {
	t.Helper()
	bin := testutil.Build(t, "github.com/certledger/certledger/cmd/ledgerd", false)
	l := &ledgerd{dir: t.TempDir(), dbURL: pgtest.NewDatabaseURL(t)}
	httpAddr, storeAddr := testutil.FreeAddr(t), testutil.FreeAddr(t)
	l.base, l.storeURL = "http://"+httpAddr, "esdb://"+storeAddr+"?tls=false"
	l.env = append([]string{"LEDGER_HTTP_ADDR=" + httpAddr, "LEDGER_EVENTSTORE_ADDR=" + storeAddr,
		"LEDGER_EVENTSTORE_URL=", "LEDGER_DATA_DIR=" + l.dir, "DATABASE_URL=" + l.dbURL}, env...)
	return l, l.run(t, bin)
}

// run starts ledgerd on l's configuration; it is stopped with SIGINT when the test ends, and
// its output is logged if the test failed.
func (l *ledgerd) run(t testing.TB, bin string) *testutil.SyncBuffer {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), l.env...)
	l.cmd = cmd
	logs := &testutil.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		stopWithin(cmd, func(sig os.Signal) { _ = cmd.Process.Signal(sig) })
		if t.Failed() {
			t.Logf("ledgerd output:\n%s", logs.String())
		}
	})
	return logs
}

// restart stops ledgerd with SIGINT and starts it again on the same data, database and
// ports, with env added to its environment (a later setting wins), waiting until it is ready.
func (l *ledgerd) restart(t testing.TB, env ...string) {
	t.Helper()
	cmd := l.cmd
	stopWithin(cmd, func(sig os.Signal) { _ = cmd.Process.Signal(sig) })
	l.env = append(l.env, env...)
	logs := l.run(t, testutil.Build(t, "github.com/certledger/certledger/cmd/ledgerd", false))
	require.Eventually(t, func() bool { return l.readyz() == http.StatusOK }, 60*time.Second, 100*time.Millisecond,
		"ledgerd never became ready again:\n%s", logs)
	require.Eventually(t, func() bool { return l.status("/api/v1/certificates") == http.StatusOK }, 60*time.Second, 100*time.Millisecond,
		"the read models never appeared again:\n%s", logs)
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
func (l *ledgerd) post(t testing.TB, path string, body any, want int) map[string]any {
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
func (l *ledgerd) get(t testing.TB, path string) map[string]any {
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
func (l *ledgerd) download(t testing.TB, path, file string) bool {
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
func (l *ledgerd) ledgerctl(t testing.TB, args ...string) (string, int) {
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
func openssl(t testing.TB, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command("openssl", args...).CombinedOutput()
	return string(out), err
}
