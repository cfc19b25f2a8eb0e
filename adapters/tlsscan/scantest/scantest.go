// Package scantest opens TLS and not-quite-TLS listeners on loopback for scanner tests and
// benchmarks: endpoints that serve a chain, answer with garbage, stay silent, reset, or send a
// chain too large to accept.
package scantest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"
)

// Chain is a leaf and its issuing CA, made for a test.
type Chain struct {
	Leaf, CA *x509.Certificate
	TLS      tls.Certificate
}

// NewChain makes a CA and a leaf for names, P-256, valid for a day.
func NewChain(t testing.TB, names ...string) Chain {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "scantest CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	must(t, err)
	ca, err := x509.ParseCertificate(caDER)
	must(t, err)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: names[0]},
		DNSNames: names, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &key.PublicKey, caKey)
	must(t, err)
	leaf, err := x509.ParseCertificate(leafDER)
	must(t, err)
	return Chain{Leaf: leaf, CA: ca, TLS: tls.Certificate{Certificate: [][]byte{leafDER, caDER}, PrivateKey: key, Leaf: leaf}}
}

// ServeTLS serves config on ln until the test ends, finishing each handshake and closing.
func ServeTLS(t testing.TB, ln net.Listener, config *tls.Config) {
	t.Helper()
	serve(t, ln, func(c net.Conn) {
		tc := tls.Server(c, config)
		_ = tc.SetDeadline(time.Now().Add(10 * time.Second))
		_ = tc.Handshake()
		_ = tc.Close()
	})
}

// ServeRaw serves every connection with handle until the test ends.
func ServeRaw(t testing.TB, ln net.Listener, handle func(net.Conn)) {
	t.Helper()
	serve(t, ln, func(c net.Conn) {
		handle(c)
		_ = c.Close()
	})
}

// Listen opens a TCP listener on addr ("127.0.0.1:0" for any port); it closes with the test.
func Listen(t testing.TB, addr string) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	must(t, err)
	return ln
}

// ClosedPort returns an address on loopback where nothing listens.
func ClosedPort(t testing.TB) string {
	t.Helper()
	ln := Listen(t, "127.0.0.1:0")
	addr := ln.Addr().String()
	must(t, ln.Close())
	return addr
}

func serve(t testing.TB, ln net.Listener, handle func(net.Conn)) {
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go handle(c)
		}
	}()
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
