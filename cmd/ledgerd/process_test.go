package main_test

import (
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/tests/testutil"
)

// ledgerd is a running ledgerd process under test.
type ledgerd struct {
	cmd       *exec.Cmd
	exited    chan error
	logs      *testutil.SyncBuffer
	base      string // http://host:port of the API
	storeAddr string // address of the embedded event store
}

// startLedgerd builds and starts ledgerd on free loopback ports with a temporary data folder and
// JSON debug logs; env entries are added last, so they override these. The process is killed
// when the test ends, and its output is shown if the test failed.
func startLedgerd(t *testing.T, env ...string) *ledgerd {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the ledgerd binary")
	}
	l := &ledgerd{exited: make(chan error, 1), logs: &testutil.SyncBuffer{}, storeAddr: freeAddr(t)}
	httpAddr := freeAddr(t)
	l.base = "http://" + httpAddr

	l.cmd = exec.Command(buildLedgerd(t))
	l.cmd.Env = append(os.Environ(),
		"LEDGER_HTTP_ADDR="+httpAddr,
		"LEDGER_EVENTSTORE_ADDR="+l.storeAddr,
		"LEDGER_EVENTSTORE_URL=", // Empty counts as unset: run the embedded store.
		"LEDGER_DATA_DIR="+t.TempDir(),
		"LEDGER_LOG_FORMAT=json",
		"LEDGER_LOG_LEVEL=debug",
		"DATABASE_URL="+pgtest.NewDatabaseURL(t), // its own read models, apart from other tests'
	)
	l.cmd.Env = append(l.cmd.Env, env...)
	l.cmd.Stdout, l.cmd.Stderr = l.logs, l.logs
	require.NoError(t, l.cmd.Start())
	go func() { l.exited <- l.cmd.Wait() }()
	t.Cleanup(func() {
		_ = l.cmd.Process.Kill() // Harmless when it has already exited.
		if t.Failed() {
			t.Logf("ledgerd output:\n%s", l.logs.String())
		}
	})
	return l
}

// errTimeout is returned by ledgerd.wait when the process does not exit in time.
var errTimeout = errors.New("ledgerd did not exit within 20s")

// wait returns the process's exit error, or errTimeout after 20 s.
func (l *ledgerd) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-l.exited:
		return err
	case <-time.After(20 * time.Second):
		return errTimeout
	}
}

// buildLedgerd builds the binary under test once per test run, with the race detector when the
// test itself has it (so the build reuses the test's compiled packages).
func buildLedgerd(t *testing.T) string {
	return testutil.Build(t, "github.com/certledger/certledger/cmd/ledgerd", raceEnabled)
}

// TestMain removes the built binary after all tests ran.
func TestMain(m *testing.M) {
	code := m.Run()
	testutil.CleanupBuilds()
	os.Exit(code)
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string { return testutil.FreeAddr(t) }
