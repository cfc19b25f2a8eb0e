package e2e_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/testutil"
)

// TestESTWithCurlAndOpenSSL enrolls and re-enrolls a device over EST (RFC 7030) on a real
// ledgerd's TLS listener the way RFC 7030's examples do, with curl and openssl: the CA
// certificates, a first enrollment authenticated by an API token, the same request again (the
// same certificate), one waiting for approval (202, then the certificate), a re-enrollment authenticated by the certificate being renewed, and each
// refusal, which issues nothing.
func TestESTWithCurlAndOpenSSL(t *testing.T) {
	dir := t.TempDir()
	serverCertificate(t, dir)
	tlsAddr := testutil.FreeAddr(t)
	tlsEnv := []string{"LEDGER_TLS_ADDR=" + tlsAddr, "LEDGER_TLS_CERT_FILE=" + filepath.Join(dir, "server.pem"),
		"LEDGER_TLS_KEY_FILE=" + filepath.Join(dir, "server.key")}
	l := startLedgerd(t, tlsEnv...)
	ca := l.post(t, "/api/v1/cas", map[string]any{"name": "Devices", "common_name": "Devices CA", "key_algorithm": "ecdsa-p256"}, http.StatusCreated)
	l.post(t, "/api/v1/profiles", map[string]any{"name": "devices", "allowed_domains": []string{"devices.example.com"},
		"key_types": []string{"ecdsa-p256"}, "max_validity_days": 30, "key_usages": []string{"digitalSignature"},
		"ext_key_usages": []string{"clientAuth"}, "require_cn_in_sans": true}, http.StatusCreated)
	l.post(t, "/api/v1/profiles", map[string]any{"name": "devices-approved", "allowed_domains": []string{"devices.example.com"},
		"key_types": []string{"ecdsa-p256"}, "max_validity_days": 30, "key_usages": []string{"digitalSignature"},
		"ext_key_usages": []string{"clientAuth"}, "require_cn_in_sans": true, "requires_approval": true}, http.StatusCreated)
	token := mintToken(t, l, "--role", "DEVOPS", "--team", "iot")
	labels, err := json.Marshal([]map[string]string{{"label": "", "ca_id": ca["id"].(string), "profile": "devices"},
		{"label": "iot", "ca_id": ca["id"].(string), "profile": "devices"},
		{"label": "approved", "ca_id": ca["id"].(string), "profile": "devices-approved"}})
	require.NoError(t, err)
	l.restart(t, append(tlsEnv, "LEDGER_EST_LABELS="+string(labels))...)

	est := estClient{t: t, dir: dir, base: "https://" + tlsAddr + "/.well-known/est"}
	status, _ := est.curl("GET", "/cacerts", "cacerts.b64")
	require.Equal(t, 200, status)
	est.pkcs7ToPEM("cacerts.b64", "ca.pem")
	caPEM, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	require.NoError(t, err)
	assert.Contains(t, string(caPEM), "subject=CN = Devices CA")

	est.csr("device.key", "/CN=dev-1.devices.example.com", "DNS:dev-1.devices.example.com", "enroll.b64")
	status, _ = est.curl("POST", "/simpleenroll", "leaf.b64", "--user", "device:"+token, "--data-binary", "@"+est.path("enroll.b64"))
	require.Equal(t, 200, status)
	est.pkcs7ToPEM("leaf.b64", "leaf.pem")
	assert.Contains(t, est.openssl("verify", "-CAfile", est.path("ca.pem"), est.path("leaf.pem")), "leaf.pem: OK")
	serial := est.serial("leaf.pem")

	status, _ = est.curl("POST", "/iot/simpleenroll", "again.b64", "-H", "Authorization: Bearer "+token, "--data-binary", "@"+est.path("enroll.b64"))
	require.Equal(t, 200, status, "the labelled path, with a bearer token")
	est.pkcs7ToPEM("again.b64", "again.pem")
	assert.NotEqual(t, serial, est.serial("again.pem"), "another label is another request")
	status, _ = est.curl("POST", "/simpleenroll", "same.b64", "--user", "device:"+token, "--data-binary", "@"+est.path("enroll.b64"))
	require.Equal(t, 200, status)
	est.pkcs7ToPEM("same.b64", "same.pem")
	assert.Equal(t, serial, est.serial("same.pem"), "the same request again answers the same certificate")

	status, body := est.curl("POST", "/approved/simpleenroll", "pending.txt", "--user", "device:"+token, "--data-binary", "@"+est.path("enroll.b64"))
	require.Equal(t, 202, status, "a profile that needs approval: %s", body)
	assert.Contains(t, body, "waits for approval")
	var pending []any
	require.Eventually(t, func() bool {
		pending = l.get(t, "/api/v1/certificates?team=iot&status=pending_approval")["items"].([]any)
		return len(pending) == 1
	}, 10*time.Second, 50*time.Millisecond)
	l.post(t, "/api/v1/certificates/"+pending[0].(map[string]any)["id"].(string)+"/approve", map[string]any{}, http.StatusOK)
	status, _ = est.curl("POST", "/approved/simpleenroll", "approved.b64", "--user", "device:"+token, "--data-binary", "@"+est.path("enroll.b64"))
	require.Equal(t, 200, status, "the same request, once approved, answers the certificate")
	est.pkcs7ToPEM("approved.b64", "approved.pem")

	est.csr("device2.key", "/CN=dev-1.devices.example.com", "DNS:dev-1.devices.example.com", "reenroll.b64")
	status, _ = est.curl("POST", "/simplereenroll", "renewed.b64", "--cert", est.path("leaf.pem"), "--key", est.path("device.key"),
		"--data-binary", "@"+est.path("reenroll.b64"))
	require.Equal(t, 200, status)
	est.pkcs7ToPEM("renewed.b64", "renewed.pem")
	assert.Contains(t, est.openssl("verify", "-CAfile", est.path("ca.pem"), est.path("renewed.pem")), "renewed.pem: OK")
	assert.NotEqual(t, serial, est.serial("renewed.pem"))
	issued := func(status string) int {
		page := l.get(t, "/api/v1/certificates?team=iot&status="+status)
		return len(page["items"].([]any))
	}
	require.Eventually(t, func() bool { return issued("superseded") == 1 }, 10*time.Second, 50*time.Millisecond,
		"the re-enrolled certificate is superseded by its renewal")
	before := issued("issued") + issued("superseded")

	refusals := []struct {
		name, method, path string
		want               int
		says               string
		args               []string
	}{
		{"no credentials", "POST", "/simpleenroll", 401, "HTTP Basic", []string{"--data-binary", "@" + est.path("enroll.b64")}},
		{"a forged token", "POST", "/simpleenroll", 401, "not valid", []string{"--user", "device:clt_forged", "--data-binary", "@" + est.path("enroll.b64")}},
		{"garbage", "POST", "/simpleenroll", 400, "not a base64 PKCS#10", []string{"--user", "device:" + token, "--data-binary", "garbage!"}},
		{"a name outside the profile", "POST", "/simpleenroll", 403, "", []string{"--user", "device:" + token,
			"--data-binary", "@" + est.csr("other.key", "/CN=www.elsewhere.com", "DNS:www.elsewhere.com", "outside.b64")}},
		{"re-enroll without a certificate", "POST", "/simplereenroll", 403, "certificate being renewed", []string{"--user", "device:" + token,
			"--data-binary", "@" + est.path("reenroll.b64")}},
		{"re-enroll to another name", "POST", "/simplereenroll", 400, "keeps the subject", []string{"--cert", est.path("renewed.pem"),
			"--key", est.path("device2.key"), "--data-binary", "@" + est.csr("device3.key", "/CN=dev-2.devices.example.com", "DNS:dev-2.devices.example.com", "rename.b64")}},
		{"re-enroll with the superseded certificate", "POST", "/simplereenroll", 401, "", []string{"--cert", est.path("leaf.pem"),
			"--key", est.path("device.key"), "--data-binary", "@" + est.path("reenroll.b64")}},
		{"an unknown label", "GET", "/nowhere/cacerts", 404, "no EST label", nil},
	}
	for _, r := range refusals {
		status, body := est.curl(r.method, r.path, "refused.txt", r.args...)
		assert.Equal(t, r.want, status, "%s: %s", r.name, body)
		assert.Contains(t, body, r.says, r.name)
	}
	assert.Equal(t, before, issued("issued")+issued("superseded"), "no refusal issued anything")
}

// estClient runs curl and openssl in dir against an EST base URL, trusting the test's server
// certificate.
type estClient struct {
	t         *testing.T
	dir, base string
}

func (e estClient) path(name string) string { return filepath.Join(e.dir, name) }

// curl sends one request, the answer's body into the file out, and returns the status and body.
func (e estClient) curl(method, path, out string, args ...string) (int, string) {
	e.t.Helper()
	all := append([]string{"-sS", "--cacert", e.path("server.pem"), "-X", method, "-H", "Content-Type: application/pkcs10",
		"-o", e.path(out), "-w", "%{http_code}", e.base + path}, args...)
	code, err := exec.Command("curl", all...).CombinedOutput()
	if err != nil && !strings.Contains(string(code), "alert") { // a refused handshake is an answer too
		require.NoError(e.t, err, "curl %v: %s", all, code)
	}
	body, _ := os.ReadFile(e.path(out))
	var status int
	_, _ = fmt.Sscanf(strings.TrimSpace(string(code)), "%d", &status)
	return status, string(body)
}

// csr writes a P-256 key and a base64 DER CSR for subject and SAN (RFC 7030 §4.2.1's body) and
// returns the CSR's path.
func (e estClient) csr(key, subject, san, out string) string {
	e.t.Helper()
	e.openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", e.path(key),
		"-subj", subject, "-addext", "subjectAltName="+san, "-outform", "DER", "-out", e.path(out+".der"))
	e.run("base64", "-w", "64", e.path(out+".der"), e.path(out))
	return e.path(out)
}

// pkcs7ToPEM decodes a base64 certs-only answer and writes its certificates as PEM.
func (e estClient) pkcs7ToPEM(b64, out string) {
	e.t.Helper()
	e.run("base64", "-d", e.path(b64), e.path(b64+".der"))
	e.openssl("pkcs7", "-inform", "DER", "-in", e.path(b64+".der"), "-print_certs", "-out", e.path(out))
}

func (e estClient) serial(pemFile string) string {
	return e.openssl("x509", "-in", e.path(pemFile), "-noout", "-serial")
}

func (e estClient) openssl(args ...string) string {
	e.t.Helper()
	out, err := exec.Command("openssl", args...).CombinedOutput()
	require.NoError(e.t, err, "openssl %v: %s", args, out)
	return string(out)
}

// run runs a tool whose last argument is the file its standard output goes to.
func (e estClient) run(name string, args ...string) {
	e.t.Helper()
	out, err := exec.Command(name, args[:len(args)-1]...).Output()
	require.NoError(e.t, err, "%s %v", name, args)
	require.NoError(e.t, os.WriteFile(args[len(args)-1], out, 0o600))
}
