package testutil

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

var builds struct {
	mu   sync.Mutex
	dir  string
	bins map[string]string
}

// Build compiles the command package pkg (such as "github.com/certledger/certledger/cmd/ledgerd")
// once per test binary, with the race detector when race is set, and returns the binary's path.
// Call CleanupBuilds from TestMain to remove the binaries.
func Build(t testing.TB, pkg string, race bool) string {
	t.Helper()
	builds.mu.Lock()
	defer builds.mu.Unlock()
	key := pkg + map[bool]string{true: " -race"}[race]
	if bin, ok := builds.bins[key]; ok {
		return bin
	}
	if builds.dir == "" {
		dir, err := os.MkdirTemp("", "certledger-bin-")
		require.NoError(t, err)
		builds.dir, builds.bins = dir, map[string]string{}
	}
	bin := filepath.Join(builds.dir, filepath.Base(pkg)+map[bool]string{true: "-race"}[race])
	args := []string{"build", "-o", bin}
	if race {
		args = append(args, "-race")
	}
	out, err := exec.Command("go", append(args, pkg)...).CombinedOutput()
	require.NoError(t, err, "go build %s: %s", pkg, out)
	builds.bins[key] = bin
	return bin
}

// CleanupBuilds removes what Build compiled.
func CleanupBuilds() {
	builds.mu.Lock()
	defer builds.mu.Unlock()
	if builds.dir != "" {
		_ = os.RemoveAll(builds.dir)
	}
}

// FreeAddr returns a loopback address with a port that was free a moment ago.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}
