package e2e_test

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/testutil"
)

// nginx is Debian's nginx on a loopback port serving tls/www.pem and tls/www.key of dir.
type nginx struct{ addr, prefix, conf string }

func startNginx(t testing.TB, tlsDir string) *nginx {
	t.Helper()
	n := &nginx{addr: testutil.FreeAddr(t), prefix: t.TempDir()}
	key := testutil.ECKey(t)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "placeholder"}, DNSNames: []string{"www.example.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	testutil.WritePEM(t, filepath.Join(tlsDir, "www.pem"), testutil.Certificate(t, tmpl, tmpl, &key.PublicKey, key))
	writeKey(t, filepath.Join(tlsDir, "www.key"), key)
	n.conf = filepath.Join(n.prefix, "nginx.conf")
	var temps strings.Builder
	for _, k := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		fmt.Fprintf(&temps, "%s_temp_path %s/%s;\n", k, n.prefix, k)
	}
	conf := fmt.Sprintf(`pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events {}
http {
  access_log off;
  %[2]s
  server {
    listen %[3]s ssl;
    server_name www.example.com;
    ssl_certificate %[4]s/www.pem;
    ssl_certificate_key %[4]s/www.key;
    return 200 "ok";
  }
}
`, n.prefix, temps.String(), n.addr, tlsDir)
	require.NoError(t, os.WriteFile(n.conf, []byte(conf), 0o644))
	cmd := exec.Command("/usr/sbin/nginx", "-p", n.prefix, "-c", n.conf, "-g", "daemon off;")
	logs := &testutil.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		stopWithin(cmd, func(sig os.Signal) { _ = cmd.Process.Signal(sig) })
		if t.Failed() {
			errs, _ := os.ReadFile(filepath.Join(n.prefix, "error.log"))
			t.Logf("nginx output:\n%s\n%s", logs.String(), errs)
		}
	})
	require.Eventually(t, func() bool {
		_, err := openssl(t, "s_client", "-connect", n.addr, "-servername", "www.example.com")
		return err == nil
	}, 10*time.Second, 100*time.Millisecond, "nginx serves TLS")
	return n
}

// reload is the host's hook for this nginx.
func (n *nginx) reload() []string {
	return []string{"/usr/sbin/nginx", "-p", n.prefix, "-c", n.conf, "-s", "reload"}
}

// servedFingerprint asks openssl s_client what the server sends and returns its SHA-256, lower-case hex.
func servedFingerprint(t testing.TB, addr, name string) string {
	t.Helper()
	out, err := exec.Command("sh", "-c", fmt.Sprintf("openssl s_client -connect %s -servername %s </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256", addr, name)).CombinedOutput()
	require.NoErrorf(t, err, "%s", out)
	return normalizeFingerprint(string(out))
}

// normalizeFingerprint turns "sha256 Fingerprint=AB:CD:…" into "abcd…".
func normalizeFingerprint(s string) string {
	_, fp, _ := strings.Cut(strings.TrimSpace(s), "=")
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(fp), ":", ""))
}
