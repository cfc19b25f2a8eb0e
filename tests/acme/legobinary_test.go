package acme_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/tests/testutil"
)

// legoCLI runs Debian's lego binary against the stack's "teams" provisioner with its state
// under dir, trusting the stack's TLS certificate (LEGO_CA_CERTIFICATES).
func legoCLI(t *testing.T, s *stack, dir string, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath("lego")
	require.NoError(t, err, "lego is installed by .ci/deps test")
	caFile := filepath.Join(dir, "server.pem")
	testutil.WritePEM(t, caFile, s.TLS.Certificate())
	args = append([]string{"--server", s.TLS.URL + "/acme/teams/directory", "--path", filepath.Join(dir, "lego"),
		"--email", "ops@example.com", "--accept-tos", "--http", "--http.port", "127.0.0.1:" + strconv.Itoa(s.port),
		"--domains", "cli.example.com"}, args...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "LEGO_CA_CERTIFICATES="+caFile)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "lego %s:\n%s", strings.Join(args, " "), out)
	return string(out)
}

// TestTheLegoBinaryObtainsRenewsAndRevokes runs Debian's lego (4.9) with an EAB key: run,
// renew, revoke; each certificate verifies with openssl and is the team's in the inventory.
func TestTheLegoBinaryObtainsRenewsAndRevokes(t *testing.T) {
	s := startStack(t)
	dir := t.TempDir()
	key := s.mintEAB(t, "payments")
	crt := filepath.Join(dir, "lego", "certificates", "cli.example.com.crt")
	issuer := filepath.Join(dir, "lego", "certificates", "cli.example.com.issuer.crt")
	issued := func() string {
		t.Helper()
		out, err := exec.Command("openssl", "verify", "-CAfile", issuer, crt).CombinedOutput()
		require.NoError(t, err, "%s", out)
		serial, err := exec.Command("openssl", "x509", "-in", crt, "-noout", "-serial").Output()
		require.NoError(t, err)
		hex := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(string(serial)), "serial="))
		item := inventoryItem(t, s, hex)
		assert.Equal(t, "payments", item.Team)
		assert.True(t, strings.HasPrefix(item.Owner, "acme:teams:"), item.Owner)
		return hex
	}

	eab := []string{"--eab", "--kid", key.KeyID, "--hmac", key.HMACKey} // lego asks for it on every command
	legoCLI(t, s, dir, append(eab, "run")...)
	first := issued()
	legoCLI(t, s, dir, append(eab, "renew", "--days", "90", "--no-random-sleep")...)
	renewed := issued()
	assert.NotEqual(t, first, renewed, "renew obtained a new certificate")
	legoCLI(t, s, dir, append(eab, "revoke")...)
	assert.Equal(t, domain.StatusRevoked, certificateStatus(t, s, renewed))
}
