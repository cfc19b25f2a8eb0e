package e2e_test

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/testutil"
)

// TestSCEPWithTheMicroMDMClient enrolls a device over SCEP (RFC 8894) with micromdm's
// scepclient against a real ledgerd: a one-time challenge password enrolls one certificate,
// which openssl verifies and OCSP calls good; the same password is refused the second time, a
// forged one at once; the certificate renews itself with a RenewalReq, and the old one is
// superseded. No refusal issues anything.
func TestSCEPWithTheMicroMDMClient(t *testing.T) {
	l := startLedgerd(t)
	dir := t.TempDir()
	file := func(name string) string { return filepath.Join(dir, name) }
	ca := l.post(t, "/api/v1/cas", map[string]any{"name": "Devices", "common_name": "Devices CA", "key_algorithm": "ecdsa-p256"}, http.StatusCreated)
	caID := ca["id"].(string)
	l.post(t, "/api/v1/profiles", map[string]any{"name": "scep-devices", "allowed_domains": []string{"devices.example.com"},
		"key_types": []string{"rsa-2048"}, "max_validity_days": 30, "key_usages": []string{"digitalSignature", "keyEncipherment"},
		"ext_key_usages": []string{"clientAuth"}}, http.StatusCreated)
	provisioners, err := json.Marshal([]map[string]string{{"name": "devices", "ca_id": caID, "profile": "scep-devices"}})
	require.NoError(t, err)
	l.restart(t, "LEDGER_SCEP_PROVISIONERS="+string(provisioners))
	require.True(t, l.download(t, "/api/v1/cas/"+caID+"/certificate", file("ca.pem")))

	client := testutil.Build(t, "github.com/micromdm/scep/v2/cmd/scepclient", false)
	// enroll runs scepclient for a device: its key, certificate and CSR live in a folder of the
	// device's (scepclient keeps its CSR next to the key and sends it again while it exists);
	// once the device has a certificate, scepclient renews it. It returns the certificate's path.
	enroll := func(challenge, device string) (string, string, error) {
		work := filepath.Join(dir, device)
		require.NoError(t, os.MkdirAll(work, 0o700))
		_ = os.Remove(filepath.Join(work, "csr.pem"))
		cert := filepath.Join(work, "cert.pem")
		args := []string{"-server-url", l.base + "/scep/devices", "-private-key", filepath.Join(work, "key.pem"), "-certificate", cert,
			"-cn", "dev-1.devices.example.com", "-dnsname", "dev-1.devices.example.com", "-key-encipherment-selector"}
		if challenge != "" {
			args = append(args, "-challenge", challenge)
		}
		out, err := exec.Command(client, args...).CombinedOutput()
		return cert, string(out), err
	}
	challenge := func() string {
		return l.post(t, "/api/v1/scep/challenges", map[string]any{"provisioner": "devices", "team": "iot", "ttl": "1h"}, http.StatusCreated)["password"].(string)
	}
	inventory := func(status string) []any {
		return l.get(t, "/api/v1/certificates?team=iot&status="+status)["items"].([]any)
	}

	password := challenge()
	dev, out, err := enroll(password, "dev-1")
	require.NoError(t, err, out)
	verified, err := openssl(t, "verify", "-CAfile", file("ca.pem"), dev)
	require.NoError(t, err, verified)
	assert.Contains(t, verified, "cert.pem: OK")
	require.Eventually(t, func() bool { return len(inventory("issued")) == 1 }, 10*time.Second, 50*time.Millisecond)
	issued := inventory("issued")[0].(map[string]any)
	assert.Regexp(t, `^scep:devices:`, issued["owner"], "the inventory says the certificate came by SCEP")
	require.Eventually(t, func() bool {
		out, _ := openssl(t, "ocsp", "-issuer", file("ca.pem"), "-cert", dev, "-CAfile", file("ca.pem"), "-url", l.base+"/ocsp")
		return contains(out, "cert.pem: good")
	}, 10*time.Second, 100*time.Millisecond, "the ledger's OCSP says good")

	for device, password := range map[string]string{"dev-2": password,
		"dev-3": "scep_00000000000000000000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		cert, out, err := enroll(password, device)
		assert.Error(t, err, "%s: a used or a forged challenge password: %s", device, out)
		assert.Contains(t, out, "failInfo: badRequest", device)
		_, statErr := os.Stat(cert)
		assert.True(t, os.IsNotExist(statErr), "%s: no certificate for a refused request", device)
	}

	old, err := openssl(t, "x509", "-in", dev, "-noout", "-serial")
	require.NoError(t, err)
	_, out, err = enroll("", "dev-1") // the certificate exists: scepclient sends a RenewalReq signed with it
	require.NoError(t, err, out)
	renewed, err := openssl(t, "x509", "-in", dev, "-noout", "-serial")
	require.NoError(t, err)
	assert.NotEqual(t, old, renewed)
	verified, err = openssl(t, "verify", "-CAfile", file("ca.pem"), dev)
	require.NoError(t, err, verified)
	require.Eventually(t, func() bool { return len(inventory("superseded")) == 1 && len(inventory("issued")) == 1 },
		10*time.Second, 50*time.Millisecond, "one certificate renewed, the old one superseded, nothing else issued")
}
