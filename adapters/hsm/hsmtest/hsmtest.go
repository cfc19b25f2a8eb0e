// Package hsmtest gives tests a real SoftHSMv2 token through adapters/hsm.
//
// A process may hold only one PKCS#11 context (see package hsm), so every test in a test binary
// shares one *hsm.HSM: the first Open provisions a token in a fresh directory under
// os.TempDir() named certledger-hsmtest-<pid>-*, with random PINs, and opens it; later calls
// return the same HSM. Tests must therefore not Close it, and must give their keys unique
// labels (Label does that).
//
// Clean-up: a package that wants the token removed when its tests end declares
//
//	func TestMain(m *testing.M) { hsmtest.Main(m) }
//
// Without it the directory (a few KB per key) is left behind, and the next test binary that
// uses hsmtest removes the directories of processes that no longer exist. t.TempDir cannot be
// used: it is removed when the first test that asked for the HSM ends, while the HSM lives on.
package hsmtest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/certledger/certledger/adapters/hsm"
)

// TokenLabel is the label of the shared test token.
const TokenLabel = "certledger-test"

const dirPrefix = "certledger-hsmtest-"

var (
	once    sync.Once
	shared  *hsm.HSM
	dir     string
	openErr error
	labels  atomic.Int64
)

// Open returns the test binary's shared HSM, provisioning and opening it on first use. It fails
// the test if SoftHSMv2 is missing (`go tool task deps` installs it). Do not Close it.
func Open(t testing.TB) *hsm.HSM {
	t.Helper()
	once.Do(setup)
	if openErr != nil {
		t.Fatalf("hsmtest: %v", openErr)
	}
	return shared
}

// Label returns a key label unique within this test binary, derived from the test's name.
func Label(t testing.TB, name string) string {
	return fmt.Sprintf("%s/%s#%d", t.Name(), name, labels.Add(1))
}

// Main runs the tests, then closes the shared HSM and removes its token directory.
func Main(m *testing.M) {
	code := m.Run()
	if err := Cleanup(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// Cleanup closes the shared HSM, if it was opened, and removes its token directory.
func Cleanup() error {
	if shared != nil {
		if err := shared.Close(); err != nil {
			return fmt.Errorf("hsmtest: %w", err)
		}
	}
	if dir != "" {
		return os.RemoveAll(dir)
	}
	return nil
}

func setup() {
	removeStale()
	dir, openErr = os.MkdirTemp("", dirPrefix+strconv.Itoa(os.Getpid())+"-")
	if openErr != nil {
		return
	}
	cfg, err := hsm.ProvisionSoftHSM(dir, TokenLabel, randomPIN(), randomPIN())
	if err != nil {
		openErr = err
		return
	}
	shared, openErr = hsm.Open(cfg)
}

func randomPIN() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// removeStale removes the token directories of earlier test processes that have exited.
func removeStale() {
	matches, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	for _, m := range matches {
		rest := strings.TrimPrefix(filepath.Base(m), dirPrefix)
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		if err := syscall.Kill(pid, 0); err == syscall.ESRCH {
			_ = os.RemoveAll(m)
		}
	}
}
