package e2e_test

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/tests/testutil"
)

// acmeLedgerd is a ledgerd that can be stopped and started again on the same data folder,
// database and ports: its ACME provisioner names a CA that exists only after a first start.
type acmeLedgerd struct {
	ledgerd
	httpAddr, storeAddr string
	env                 []string
	stop                func()
}

func (l *acmeLedgerd) start(t *testing.T, env ...string) {
	t.Helper()
	bin := testutil.Build(t, "github.com/certledger/certledger/cmd/ledgerd", false)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "LEDGER_HTTP_ADDR="+l.httpAddr, "LEDGER_EVENTSTORE_ADDR="+l.storeAddr,
		"LEDGER_EVENTSTORE_URL=", "LEDGER_DATA_DIR="+l.dir, "DATABASE_URL="+l.dbURL)
	cmd.Env = append(append(cmd.Env, l.env...), env...)
	logs := &testutil.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	started := time.Now()
	require.NoError(t, cmd.Start())
	defer func() { t.Logf("ledgerd ready in %s", time.Since(started).Round(time.Millisecond)) }()
	stopped := false
	l.stop = func() {
		if !stopped {
			stopped = true
			stopWithin(cmd, func(sig os.Signal) { _ = cmd.Process.Signal(sig) })
		}
	}
	t.Cleanup(func() {
		l.stop()
		if t.Failed() {
			t.Logf("ledgerd output:\n%s", logs.String())
		}
	})
	require.Eventually(t, func() bool { return l.readyz() == http.StatusOK }, 60*time.Second, 100*time.Millisecond,
		"ledgerd never became ready:\n%s", logs)
	token, err := os.ReadFile(filepath.Join(l.dir, "admin.token"))
	require.NoError(t, err)
	l.token = strings.TrimSpace(string(token))
}

// certbot runs Debian's certbot with its state under dir, trusting the ledger's TLS
// certificate (REQUESTS_CA_BUNDLE, as certbot requires an HTTPS directory).
func certbot(t *testing.T, dir, caBundle string, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath("certbot")
	require.NoError(t, err, "certbot is installed by .ci/deps test")
	args = append(args, "--non-interactive", "--config-dir", filepath.Join(dir, "config"),
		"--work-dir", filepath.Join(dir, "work"), "--logs-dir", filepath.Join(dir, "logs"))
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "REQUESTS_CA_BUNDLE="+caBundle)
	started := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("certbot %s: %s", args[0], time.Since(started).Round(time.Millisecond))
	require.NoError(t, err, "certbot %s:\n%s", strings.Join(args, " "), out)
	return string(out)
}

// TestCertbotObtainsRenewsAndRevokesOverACME is issue 14's acceptance for certbot: against a
// real ledgerd's ACME directory on its TLS listener, with an EAB key SEC_OPS minted for team
// payments, `certbot certonly --standalone` answers http-01 on a loopback port (the ledger
// resolves every name to 127.0.0.1 through the test's DNS server); the certificate verifies
// with openssl, is the team's in the inventory with its ACME account as owner, and is good at
// the ledger's OCSP. `certbot renew --force-renewal` obtains a new one, and `certbot revoke`
// makes OCSP say revoked.
func TestCertbotObtainsRenewsAndRevokesOverACME(t *testing.T) {
	dir := t.TempDir()
	file := func(name string) string { return filepath.Join(dir, name) }
	serverCertificate(t, dir)
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	// As an operator writes it: text, with a newline (ledgerd trims the whitespace around it; raw
	// random bytes could end in a byte that counts as space).
	require.NoError(t, os.WriteFile(file("eab.secret"), []byte(hex.EncodeToString(secret)+"\n"), 0o600))
	dns := testutil.StartDNSServer(t)
	http01 := testutil.FreeAddr(t)
	_, http01Port, _ := net.SplitHostPort(http01)
	tlsAddr := testutil.FreeAddr(t)
	l := &acmeLedgerd{httpAddr: testutil.FreeAddr(t), storeAddr: testutil.FreeAddr(t)}
	l.dir, l.dbURL = t.TempDir(), pgtest.NewDatabaseURL(t)
	l.base = "http://" + l.httpAddr
	l.env = []string{"LEDGER_TLS_ADDR=" + tlsAddr, "LEDGER_TLS_CERT_FILE=" + file("server.pem"),
		"LEDGER_TLS_KEY_FILE=" + file("server.key"), "LEDGER_ACME_EAB_SECRET_FILE=" + file("eab.secret"),
		"LEDGER_ACME_DNS_RESOLVER=" + dns.Addr, "LEDGER_ACME_HTTP01_PORT=" + http01Port}
	l.start(t)
	ca := l.post(t, "/api/v1/cas", map[string]any{"name": "Root", "common_name": "ACME E2E Root", "key_algorithm": "ecdsa-p256"}, 201)
	caID := ca["id"].(string)
	l.post(t, "/api/v1/profiles", map[string]any{"name": "web", "allowed_domains": []string{"example.com"},
		"key_types": []string{"rsa-2048", "ecdsa-p256"}, "max_validity_days": 90}, 201)
	l.stop()
	l.start(t, `LEDGER_ACME_PROVISIONERS=[{"name":"teams","ca_id":"`+caID+`","profile":"web","eab":true}]`)

	key := l.post(t, "/api/v1/acme/eab-keys", map[string]any{"provisioner": "teams", "team": "payments"}, 201)
	directory := "https://" + tlsAddr + "/acme/teams/directory"
	live := file("certbot/config/live/www.example.com")
	certbot(t, file("certbot"), file("server.pem"), "certonly", "--server", directory, "--agree-tos", "-m", "ops@example.com",
		"--eab-kid", key["key_id"].(string), "--eab-hmac-key", key["hmac_key"].(string),
		"--standalone", "--http-01-address", "127.0.0.1", "--http-01-port", http01Port, "-d", "www.example.com")
	require.True(t, l.download(t, "/api/v1/cas/"+caID+"/certificate", file("ca.pem")))

	checked := func() string {
		t.Helper()
		out, err := openssl(t, "verify", "-CAfile", file("ca.pem"), filepath.Join(live, "cert.pem"))
		require.NoError(t, err, out)
		serial, err := openssl(t, "x509", "-in", filepath.Join(live, "cert.pem"), "-noout", "-serial")
		require.NoError(t, err, serial)
		serial = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(serial), "serial="))
		item := l.inventoryItem(t, serial)
		assert.True(t, strings.HasPrefix(item["owner"].(string), "acme:teams:"), "owner %v", item["owner"])
		assert.Equal(t, "payments", item["team"], "the account acts for its EAB key's team")
		return serial
	}
	ocsp := func() string {
		out, _ := openssl(t, "ocsp", "-issuer", file("ca.pem"), "-cert", filepath.Join(live, "cert.pem"),
			"-CAfile", file("ca.pem"), "-url", l.base+"/ocsp")
		return out
	}
	first := checked()
	require.Eventually(t, func() bool { return contains(ocsp(), ": good") }, 10*time.Second, 100*time.Millisecond)

	certbot(t, file("certbot"), file("server.pem"), "renew", "--force-renewal")
	renewed := checked()
	assert.NotEqual(t, first, renewed, "renew obtained a new certificate")
	require.Eventually(t, func() bool { return contains(ocsp(), ": good") }, 10*time.Second, 100*time.Millisecond)

	certbot(t, file("certbot"), file("server.pem"), "revoke", "--server", directory, "--cert-path",
		filepath.Join(live, "cert.pem"), "--reason", "keycompromise", "--no-delete-after-revoke")
	var answer string
	require.Eventually(t, func() bool { answer = ocsp(); return contains(answer, ": revoked") }, 10*time.Second, 100*time.Millisecond)
	assert.Contains(t, answer, "Reason: keyCompromise")
}

// inventoryItem waits for the inventory to list the certificate with serial (lower-case hex).
func (l *acmeLedgerd) inventoryItem(t *testing.T, serial string) map[string]any {
	t.Helper()
	var found map[string]any
	require.Eventually(t, func() bool {
		items, _ := l.get(t, "/api/v1/certificates?limit=100")["items"].([]any)
		for _, it := range items {
			item := it.(map[string]any)
			if s, _ := item["serial"].(string); strings.TrimLeft(s, "0") == strings.TrimLeft(serial, "0") {
				found = item
				return true
			}
		}
		return false
	}, 10*time.Second, 100*time.Millisecond, "the inventory lists %s", serial)
	return found
}
