package hsm_test

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/hsm/hsmtest"
)

func TestMain(m *testing.M) { hsmtest.Main(m) }

// childEnv names the test a re-executed test binary is running as a child.
const childEnv = "CERTLEDGER_HSM_TEST_CHILD"

// inChild runs body in a fresh process: the test binary re-executed with only this test
// selected. Tests that open their own HSM need it, since a process holds one PKCS#11 context
// (and the parent holds the shared one): a wrong PIN in particular is accepted while another
// context of the process is logged in. It returns the child's output for further checks.
func inChild(t *testing.T, body func(t *testing.T)) string {
	t.Helper()
	if os.Getenv(childEnv) == t.Name() {
		body(t)
		return ""
	}
	parts := strings.Split(t.Name(), "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	cmd := exec.Command(os.Args[0], "-test.run="+strings.Join(parts, "/"), "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "child process failed:\n%s", out)
	require.Contains(t, string(out), "--- PASS: "+t.Name(), "child process did not run the test:\n%s", out)
	return string(out)
}
