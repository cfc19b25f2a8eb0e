package testutil

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"testing"

	"github.com/stretchr/testify/require"
)

// CSR makes a PEM certificate request for the DNS names, the first one as common name, with a
// fresh P-256 key, as a client of the ledger would send it.
func CSR(t testing.TB, names ...string) []byte {
	t.Helper()
	csr, err := NewCSR(names...)
	require.NoError(t, err)
	return csr
}

// NewCSR is CSR for goroutines other than the test's (load generators): it returns the error.
func NewCSR(names ...string) ([]byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject: pkix.Name{CommonName: names[0]}, DNSNames: names}, key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}), nil
}
