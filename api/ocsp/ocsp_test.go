package ocsp_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/tests/testutil"
)

// pki is a root CA, its delegated OCSP responder and one leaf, made with in-memory keys: the HSM
// is another package's concern, the responder only needs a crypto.Signer.
type pki struct {
	ca, responder, leaf *x509.Certificate
	responderKey        crypto.Signer
	dir                 string // PEM files for openssl
}

var oidNoCheck = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 5}

func newPKI(t testing.TB) *pki {
	t.Helper()
	caKey := newKey(t)
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test Root"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature}
	ca := create(t, caTmpl, caTmpl, caKey.Public(), caKey)
	respKey := newKey(t)
	null, _ := asn1.Marshal(asn1.NullRawValue)
	responder := create(t, &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Test Root OCSP"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage:     []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning},
		ExtraExtensions: []pkix.Extension{{Id: oidNoCheck, Value: null}}}, ca, respKey.Public(), caKey)
	serial, _ := new(big.Int).SetString("7f3a9c0d11e24b6a8f0c5d9e2a1b3c4d", 16)
	leaf := create(t, &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: "www.example.com"},
		DNSNames: []string{"www.example.com"}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(12 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}},
		ca, newKey(t).Public(), caKey)
	p := &pki{ca: ca, responder: responder, leaf: leaf, responderKey: respKey, dir: t.TempDir()}
	writePEM(t, filepath.Join(p.dir, "ca.pem"), ca)
	writePEM(t, filepath.Join(p.dir, "leaf.pem"), leaf)
	return p
}

func newKey(t testing.TB) *ecdsa.PrivateKey { return testutil.ECKey(t) }

func create(t testing.TB, tmpl, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) *x509.Certificate {
	return testutil.Certificate(t, tmpl, parent, pub, signer)
}

func writePEM(t testing.TB, path string, c *x509.Certificate) { testutil.WritePEM(t, path, c) }

// statuses is a StatusSource kept in memory, standing in for the OCSP read model.
type statuses struct {
	mu    sync.Mutex
	known map[string]domain.SerialStatus
	calls int
}

func (s *statuses) Status(_ context.Context, _ string, serial *big.Int) (domain.SerialStatus, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	st, ok := s.known[serial.Text(16)]
	if !ok {
		return domain.SerialStatus{Kind: domain.SerialUnknown}, nil
	}
	return st, nil
}

func (s *statuses) set(serial *big.Int, st domain.SerialStatus) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.known[serial.Text(16)] = st
}

func (s *statuses) lookups() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}
