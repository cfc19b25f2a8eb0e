// Package winpe builds a tiny Windows PE for the tests that sign one with Authenticode and
// check it with osslsigncode.
//
// Invariants: the PE is a fresh `GOOS=windows GOARCH=amd64 go build` of a main package in
// the test's temporary directory; nothing is downloaded (the module has no dependencies).
package winpe

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

const program = "package main\n\nfunc main() { println(\"signed by certledger\") }\n"

// Build writes the program into t.TempDir() and builds it for windows/amd64 (stripped, so
// small), returning the .exe's path. It skips the test without osslsigncode, which every
// caller checks the PE with.
func Build(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("osslsigncode"); err != nil {
		t.Skip("osslsigncode is not installed (bash .ci/deps test installs it)")
	}
	dir := t.TempDir()
	for name, text := range map[string]string{"main.go": program, "go.mod": "module tiny\n\ngo 1.26\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatalf("write the PE's %s: %v", name, err)
		}
	}
	exe := filepath.Join(dir, "app.exe")
	cmd := exec.Command("go", "build", "-ldflags=-s -w", "-o", exe, ".")
	cmd.Dir, cmd.Env = dir, append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build a windows PE: %v: %s", err, out)
	}
	return exe
}
