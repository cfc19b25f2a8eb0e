package main

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/tests/clienttest"
	"github.com/certledger/certledger/tests/testutil"
)

func TestMain(m *testing.M) { hsmtest.Main(m) }

// ctl runs ledgerctl against the ledger l with token.
func ctl(t *testing.T, l *clienttest.Ledger, token string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCtl(t, append(args, "--url", l.URL, "--token", token)...)
}

// jsonOf runs a command with -o json, requires exit 0, and decodes its output.
func jsonOf(t *testing.T, l *clienttest.Ledger, token string, args ...string) map[string]any {
	t.Helper()
	code, out, errOut := ctl(t, l, token, append(args, "-o", "json")...)
	require.Equal(t, exitOK, code, errOut)
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &v), out)
	return v
}

// pkiSetup makes a root CA and the "web" profile with ledgerctl, and returns the CA's id.
func pkiSetup(t *testing.T, l *clienttest.Ledger) string {
	t.Helper()
	ca := jsonOf(t, l, clienttest.AdminToken, "ca", "create", "--name", "Root", "--cn", "CLI Root", "--key-algorithm", "ecdsa-p256")
	code, out, errOut := ctl(t, l, clienttest.AdminToken, "profile", "create", "--name", "web", "--allowed-domain", "example.com",
		"--key-type", "ecdsa-p256", "--key-type", "rsa-2048", "--max-validity-days", "90")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^Allowed domains:\s+example.com$`, out)
	assert.Regexp(t, `(?m)^Key types:\s+ecdsa-p256,rsa-2048$`, out)
	return ca["id"].(string)
}

// csrFile writes a PEM CSR for the names into a temporary file.
func csrFile(t *testing.T, names ...string) string {
	path := filepath.Join(t.TempDir(), "req.csr")
	require.NoError(t, os.WriteFile(path, testutil.CSR(t, names...), 0o600))
	return path
}

func TestRequestDownloadRevokeAndListWithTheCLI(t *testing.T) {
	l := clienttest.Start(t)
	caID := pkiSetup(t, l)
	admin := clienttest.AdminToken

	code, out, errOut := ctl(t, l, admin, "cert", "request", "--ca", caID, "--profile", "web", "--csr", csrFile(t, "www.example.com"),
		"--team", "web", "--owner", "alice", "--validity-days", "30", "--idempotency-key", "order-7")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^Status:\s+issued$`, out)
	assert.Regexp(t, `(?m)^DNS names:\s+www.example.com$`, out)
	assert.Regexp(t, `(?m)^Owner:\s+alice$`, out)
	id := fieldOf(t, out, "ID")

	dir := t.TempDir()
	for _, format := range []string{"pem", "der", "chain"} {
		file := filepath.Join(dir, "leaf."+format)
		code, _, errOut = ctl(t, l, admin, "cert", "download", id, "--format", format, "--out", file)
		require.Equal(t, exitOK, code, errOut)
		assert.Len(t, certificatesIn(t, file), map[string]int{"pem": 1, "der": 1, "chain": 2}[format], format)
	}
	code, out, _ = ctl(t, l, "", "ca", "chain", caID) // anonymous, to stdout
	require.Equal(t, exitOK, code)
	assert.Equal(t, 1, strings.Count(out, "BEGIN CERTIFICATE"))

	shown := jsonOf(t, l, admin, "cert", "show", id)
	assert.EqualValues(t, 3, shown["revision"], "requested, approved, signing started, issued")
	code, out, errOut = ctl(t, l, admin, "cert", "revoke", id, "--reason", "keyCompromise",
		"--invalidity-date", time.Now().Add(-time.Hour).UTC().Format(time.RFC3339), "--if-match", "3")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^Status:\s+revoked$`, out)

	code, out, errOut = ctl(t, l, admin, "cert", "history", id)
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `^REV\s+OCCURRED\s+TYPE\s+ACTOR\s+HASH\n`, out)
	assert.Regexp(t, `(?m)^2\s+\S+\s+SigningStarted\s+admin\s+[0-9a-f]{16}$`, out)
	assert.Regexp(t, `(?m)^4\s+\S+\s+CertificateRevoked\s+admin\s+[0-9a-f]{16}$`, out)

	var items []any
	require.Eventually(t, func() bool {
		list := jsonOf(t, l, admin, "cert", "list", "--status", "revoked", "--limit", "1", "--all")
		items = list["items"].([]any)
		return len(items) == 1
	}, 10*time.Second, 50*time.Millisecond, "the inventory lists the revoked certificate")
	assert.Equal(t, id, items[0].(map[string]any)["id"])
	code, out, errOut = ctl(t, l, admin, "cert", "list", "--owner", "alice", "--expires-after", "24h")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `^ID\s+STATUS\s+COMMON NAME\s+TEAM\s+OWNER\s+PROFILE\s+NOT AFTER\s+SERIAL\n`, out)
	assert.Regexp(t, id+`\s+revoked\s+www.example.com\s+web\s+alice\s+web\s+`, out)

	code, out, errOut = ctl(t, l, admin, "ca", "list")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, caID+`\s+Root\s+CLI Root\s+ecdsa-p256\s+active\s+`, out)
	code, out, errOut = ctl(t, l, admin, "profile", "list")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^web\s+-\s+example.com\s+ecdsa-p256,rsa-2048\s+90\s+no\s+0$`, out)
	code, out, errOut = ctl(t, l, admin, "ca", "history", caID)
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^0\s+\S+\s+SigningStarted\s+admin\s+`, out)
	assert.Regexp(t, `(?m)^1\s+\S+\s+CARootCreated\s+admin\s+`, out)
}

// fieldOf reads the value of a "Name:  value" line.
func fieldOf(t *testing.T, out, name string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, name+":"); ok {
			return strings.TrimSpace(rest)
		}
	}
	t.Fatalf("no %s in %q", name, out)
	return ""
}

// certificatesIn parses the PEM or DER certificates of a file.
func certificatesIn(t *testing.T, path string) []*x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	if !strings.HasPrefix(string(data), "-----BEGIN") {
		c, err := x509.ParseCertificate(data)
		require.NoError(t, err)
		return []*x509.Certificate{c}
	}
	var out []*x509.Certificate
	for block, rest := pem.Decode(data); block != nil; block, rest = pem.Decode(rest) {
		c, err := x509.ParseCertificate(block.Bytes)
		require.NoError(t, err)
		out = append(out, c)
	}
	return out
}
