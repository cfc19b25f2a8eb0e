package ocsp_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	xocsp "golang.org/x/crypto/ocsp"

	"github.com/certledger/certledger/domain"
)

// BenchmarkOCSP measures OCSP answers per second over HTTP on loopback with 16 concurrent
// clients, side by side: certledger's responder, a bare Go HTTP server returning a fixed
// response (the practical ceiling here), and openssl's reference responder (`openssl ocsp
// -index`, which signs every response).
func BenchmarkOCSP(b *testing.B) {
	p := newPKI(b)
	req, err := xocsp.CreateRequest(p.leaf, p.ca, &xocsp.RequestOptions{})
	require.NoError(b, err)

	for _, keepAlive := range []bool{true, false} {
		b.Run(fmt.Sprintf("server=certledger/keepalive=%t", keepAlive), func(b *testing.B) {
			srv, _, src := serve(b, p)
			src.set(p.leaf.SerialNumber, domain.SerialStatus{Kind: domain.SerialGood})
			hammer(b, srv.URL+"/ocsp", req, keepAlive)
		})
	}
	b.Run("server=bare-go-fixed-response", func(b *testing.B) {
		fixed := bytes.Repeat([]byte{0x30}, 670)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/ocsp-response")
			_, _ = w.Write(fixed)
		}))
		defer srv.Close()
		hammer(b, srv.URL+"/ocsp", req, true)
	})
	b.Run("server=openssl-ocsp-index", func(b *testing.B) {
		url := startOpenSSLResponder(b, p, req)
		// openssl's responder answers one request per connection: compare with keepalive=false.
		hammer(b, url, req, false)
	})
}

// hammer posts the request from 16 goroutines and reports answers/s.
func hammer(b *testing.B, url string, req []byte, keepAlive bool) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableKeepAlives: !keepAlive}}
	b.SetParallelism(8)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Post(url, "application/ocsp-request", bytes.NewReader(req))
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "responses/s")
}

// startOpenSSLResponder runs `openssl ocsp -index` for p's CA with the same responder key.
func startOpenSSLResponder(b *testing.B, p *pki, req []byte) string {
	dir := p.dir
	exp := p.leaf.NotAfter.UTC().Format("060102150405Z")
	index := fmt.Sprintf("V\t%s\t\t%X\tunknown\t/CN=www.example.com\n", exp, p.leaf.SerialNumber)
	require.NoError(b, os.WriteFile(filepath.Join(dir, "index.txt"), []byte(index), 0o600))
	writePEM(b, filepath.Join(dir, "responder.pem"), p.responder)
	keyDER, err := x509.MarshalECPrivateKey(p.responderKey.(*ecdsa.PrivateKey))
	require.NoError(b, err)
	require.NoError(b, os.WriteFile(filepath.Join(dir, "responder.key"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command("openssl", "ocsp", "-index", filepath.Join(dir, "index.txt"), "-port", fmt.Sprint(port),
		"-rsigner", filepath.Join(dir, "responder.pem"), "-rkey", filepath.Join(dir, "responder.key"),
		"-CA", filepath.Join(dir, "ca.pem"), "-nmin", "60")
	require.NoError(b, cmd.Start())
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	url := fmt.Sprintf("http://127.0.0.1:%d/", port)
	probe := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: time.Second}
	require.Eventually(b, func() bool {
		resp, err := probe.Post(url, "application/ocsp-request", bytes.NewReader(req))
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 10*time.Second, 100*time.Millisecond, "openssl ocsp responder did not start")
	return url
}
