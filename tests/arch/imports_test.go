// Package arch_test checks the direction of the ledger's dependencies: the inner layers
// (domain, events, commands, projections) never depend on the HTTP layer under api/, directly
// or through another package, and their own tests do not import it either (a test of the HTTP
// layer belongs under api/ or tests/). It reads the build's own view of the imports with
// `go list`.
package arch_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/certledger/certledger/"

// listed is what `go list -json` says of a package that this test needs.
type listed struct {
	ImportPath   string
	Imports      []string // direct imports of its non-test files
	Deps         []string // every package it depends on, transitively, without tests
	TestImports  []string // direct imports of its in-package tests
	XTestImports []string // direct imports of its _test package
}

func TestInnerLayersDoNotDependOnAPI(t *testing.T) {
	for _, tc := range []struct {
		name, pattern string
	}{
		{"domain", "./domain/..."},
		{"events", "./events/..."},
		{"commands", "./commands/..."},
		{"projections", "./projections/..."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pkgs := goList(t, tc.pattern)
			require.NotEmpty(t, pkgs, "go list %s found no packages", tc.pattern)
			for _, p := range pkgs {
				for _, dep := range p.Deps {
					if isAPI(dep) {
						t.Errorf("%s depends on %s (%s); the inner layers must not import api/...",
							p.ImportPath, dep, how(p, dep))
					}
				}
				for _, imp := range append(p.TestImports, p.XTestImports...) {
					if isAPI(imp) {
						t.Errorf("the tests of %s import %s; move what needs the HTTP layer under api/ or tests/", p.ImportPath, imp)
					}
				}
			}
		})
	}
}

// isAPI tells whether a package path is the api package or one under it.
func isAPI(path string) bool {
	return path == module+"api" || strings.HasPrefix(path, module+"api/")
}

// how says whether p imports dep itself or through another package.
func how(p listed, dep string) string {
	for _, imp := range p.Imports {
		if imp == dep {
			return "imported directly"
		}
	}
	return "through another package; go list -deps names the path"
}

// goList runs `go list -json` on a pattern from the module's root and decodes its
// stream of JSON objects.
func goList(t *testing.T, pattern string) []listed {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports,Deps,TestImports,XTestImports", pattern)
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "go list %s: %s", pattern, stderr.String())
	var pkgs []listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		err := dec.Decode(&p)
		if errors.Is(err, io.EOF) {
			return pkgs
		}
		require.NoError(t, err, "decoding go list output")
		pkgs = append(pkgs, p)
	}
}
