package acme_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-acme/lego/v5/certcrypto"
	"github.com/go-acme/lego/v5/certificate"
	"github.com/go-acme/lego/v5/lego"
	legolog "github.com/go-acme/lego/v5/log"
	"github.com/go-acme/lego/v5/registration"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/testutil"
)

// startPebble runs Debian's pebble (Let's Encrypt's ACME test server) on loopback ports, its
// names resolved by the test's DNS server, http-01 validated on httpPort, without its random
// validation sleeps or nonce rejections; it returns the directory URL and a client trusting it.
func startPebble(b *testing.B, dnsAddr string, httpPort int) (string, *http.Client) {
	b.Helper()
	bin, err := exec.LookPath("pebble")
	require.NoError(b, err, "pebble is installed by .ci/deps test")
	dir := b.TempDir()
	key := testutil.ECKey(b)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "pebble.test"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	cert := testutil.Certificate(b, tmpl, tmpl, &key.PublicKey, key)
	testutil.WritePEM(b, filepath.Join(dir, "cert.pem"), cert)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(b, err)
	require.NoError(b, os.WriteFile(filepath.Join(dir, "key.pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600))
	addr := testutil.FreeAddr(b)
	config, err := json.Marshal(map[string]any{"pebble": map[string]any{"listenAddress": addr,
		"managementListenAddress": testutil.FreeAddr(b), "certificate": filepath.Join(dir, "cert.pem"),
		"privateKey": filepath.Join(dir, "key.pem"), "httpPort": httpPort, "tlsPort": freePort(b)}})
	require.NoError(b, err)
	require.NoError(b, os.WriteFile(filepath.Join(dir, "pebble.json"), config, 0o600))
	cmd := exec.Command(bin, "-config", filepath.Join(dir, "pebble.json"), "-dnsserver", dnsAddr)
	cmd.Env = append(os.Environ(), "PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0", "PEBBLE_AUTHZREUSE=0")
	logs := &testutil.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(b, cmd.Start())
	b.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if b.Failed() {
			b.Logf("pebble:\n%s", logs)
		}
	})
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	directory := "https://" + addr + "/dir"
	require.Eventually(b, func() bool {
		resp, err := client.Get(directory)
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 10*time.Second, 50*time.Millisecond, "pebble never answered:\n%s", logs)
	return directory, client
}

// BenchmarkPebbleFullFlow is BenchmarkACMEFullFlow's load against pebble: the anchor the
// ledger's ACME rate is compared with.
func BenchmarkPebbleFullFlow(b *testing.B) {
	dnsServer := testutil.StartDNSServer(b)
	port := freePort(b)
	ch := serveChallenges(b, port)
	directory, httpClient := startPebble(b, dnsServer.Addr, port)
	runFlows(b, directory, httpClient, ch)
}

// legoFlow is one new lego account obtaining one certificate for name over http-01.
func legoFlow(directory string, httpClient *http.Client, ch *challenges, name string) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	user := &legoUser{key: key}
	cfg := lego.NewConfig(user)
	cfg.CADirURL, cfg.HTTPClient = directory, httpClient
	cfg.Certificate.Timeout = 60 * time.Second
	client, err := lego.NewClient(cfg)
	if err != nil {
		return err
	}
	if err = client.Challenge.SetHTTP01Provider(ch); err != nil {
		return err
	}
	if user.reg, err = client.Registration.Register(context.Background(), registration.RegisterOptions{TermsOfServiceAgreed: true}); err != nil {
		return err
	}
	_, err = client.Certificate.Obtain(context.Background(), certificate.ObtainRequest{Domains: []string{name}, KeyType: certcrypto.EC256})
	return err
}

// quietLego silences lego's log until the benchmark ends.
func quietLego(b *testing.B) {
	was := legolog.Default()
	legolog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	b.Cleanup(func() { legolog.SetDefault(was) })
}
