package e2e_test

import (
	"context"
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

	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/tests/testutil"
)

// firstRunTimeout bounds a first `go tool task run` in a fresh copy: go-task comes from the Go
// cache, but ledgerd's own packages compile again in a new directory.
const firstRunTimeout = 5 * time.Minute

// TestQuickStart is the README's first-run path as a new user takes it: in a clean copy of the
// repository, `go tool task run` (its install step must find everything and call no apt) starts
// ledgerd, /readyz goes 200, and the README's Quick start block, taken from the README itself,
// issues a certificate from an openssl CSR that `openssl verify` accepts. The only change to the
// block is the HTTP address, so that the test runs on a fresh port beside a ledgerd on 8080.
func TestQuickStart(t *testing.T) {
	dir := cleanCopy(t)
	script := quickStartScript(t, filepath.Join(dir, "README.md"))

	// An apt-get or apt on PATH that records being called: the install step must not call them.
	fakeBin, aptCalls := t.TempDir(), filepath.Join(t.TempDir(), "apt-calls")
	for _, name := range []string{"apt-get", "apt"} {
		fake := "#!/bin/sh\necho \"$0 $*\" >> " + aptCalls + "\nexit 1\n"
		require.NoError(t, os.WriteFile(filepath.Join(fakeBin, name), []byte(fake), 0o755))
	}
	httpAddr, storeAddr := testutil.FreeAddr(t), testutil.FreeAddr(t)
	cmd := exec.Command("go", "tool", "task", "run")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+fakeBin+string(os.PathListSeparator)+os.Getenv("PATH"), "NO_COLOR=1",
		"LEDGER_HTTP_ADDR="+httpAddr, "LEDGER_EVENTSTORE_ADDR="+storeAddr, "LEDGER_EVENTSTORE_URL=",
		"LEDGER_DATA_DIR=", "DATABASE_URL="+pgtest.NewDatabaseURL(t))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // so that the stop reaches ledgerd too
	logs := &testutil.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { stopGroup(t, cmd, logs) })

	run := &ledgerd{base: "http://" + httpAddr}
	require.Eventually(t, func() bool { return run.readyz() == http.StatusOK }, firstRunTimeout, 250*time.Millisecond, "ledgerd never became ready:\n%s", logs)
	assert.Contains(t, logs.String(), "task: [run] bash .ci/deps run", "the run task has lost its install step")
	assert.NotContains(t, logs.String(), "deps: installing", "the install step installed something on a machine that has it all")
	assert.NoFileExists(t, aptCalls, "the install step called apt on a machine that has everything")

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	walk := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", strings.ReplaceAll(script, "127.0.0.1:8080", httpAddr))
	walk.Dir = dir
	out, err := walk.CombinedOutput()
	require.NoError(t, err, "the README's Quick start failed:\n%s\nledgerd:\n%s", out, logs)
	assert.Contains(t, string(out), "leaf.pem: OK")
}

// quickStartScript returns the shell block between the quickstart markers of the README.
func quickStartScript(t *testing.T, readme string) string {
	t.Helper()
	b, err := os.ReadFile(readme)
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(b), "<!-- quickstart:begin -->")
	require.True(t, ok, "README.md has no <!-- quickstart:begin --> marker")
	block, _, ok := strings.Cut(rest, "<!-- quickstart:end -->")
	require.True(t, ok, "README.md has no <!-- quickstart:end --> marker")
	block = strings.TrimSpace(block)
	require.True(t, strings.HasPrefix(block, "```sh\n") && strings.HasSuffix(block, "\n```"),
		"the Quick start must be one ```sh block between the markers")
	return strings.TrimSuffix(strings.TrimPrefix(block, "```sh\n"), "```")
}

// cleanCopy copies the repository as a clone of its next commit would hold it — the tracked
// files and the new ones git does not ignore, as they are in the work tree, without data/ or bin/
// — into a scratch directory. In CI the work tree is a clean clone, so the copy is one too.
func cleanCopy(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	list, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	require.NoError(t, err, "listing the repository's files")
	dir := t.TempDir()
	for _, name := range strings.Split(strings.TrimRight(string(list), "\x00"), "\x00") {
		info, err := os.Lstat(filepath.Join(root, name))
		if os.IsNotExist(err) {
			continue // deleted in the work tree: the next commit will not have it
		}
		require.NoError(t, err)
		if !info.Mode().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(root, name))
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, info.Mode().Perm()))
	}
	return dir
}

// stopGroup stops the task and the ledgerd it started, signalling their whole process group.
func stopGroup(t *testing.T, cmd *exec.Cmd, logs *testutil.SyncBuffer) {
	stopWithin(cmd, func(sig os.Signal) { _ = syscall.Kill(-cmd.Process.Pid, sig.(syscall.Signal)) })
	if t.Failed() {
		t.Logf("go tool task run output:\n%s", logs)
	}
}
