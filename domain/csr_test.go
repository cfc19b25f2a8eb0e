package domain_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"net"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

func TestParseCSRReadsSubjectSANsAndKey(t *testing.T) {
	key := newKey(t)
	spiffe, _ := url.Parse("spiffe://example.com/payments/api")
	in := csrPEM(t, key, x509.CertificateRequest{
		Subject:        pkix.Name{CommonName: "API.example.com", Organization: []string{"Unvetted Inc"}},
		DNSNames:       []string{"API.Example.COM.", "www.example.com"},
		IPAddresses:    []net.IP{net.ParseIP("10.1.2.3")},
		EmailAddresses: []string{"ops@example.com"},
		URIs:           []*url.URL{spiffe},
	})

	csr, err := domain.ParseCSR(append(append([]byte("\n  "), in...), "\n\n"...))
	require.NoError(t, err)

	assert.Equal(t, "API.example.com", csr.CommonName())
	assert.Equal(t, []string{"api.example.com", "www.example.com"}, csr.DNSNames())
	assert.Equal(t, "10.1.2.3", csr.IPAddresses()[0].String())
	assert.Equal(t, []string{"ops@example.com"}, csr.EmailAddresses())
	assert.Equal(t, "spiffe://example.com/payments/api", csr.URIs()[0].String())
	assert.Equal(t, domain.KeyECDSAP256, csr.KeyType())
	assert.Equal(t, 5, csr.SANCount())
	assert.Equal(t, string(in), csr.PEM(), "canonical PEM of the DER")
	again, err := domain.ParseCSR([]byte(csr.PEM()))
	require.NoError(t, err)
	assert.Equal(t, csr.DER(), again.DER())
}

func TestParseCSRKeyTypes(t *testing.T) {
	rsaKey := func(bits int) crypto.Signer {
		k, err := rsa.GenerateKey(rand.Reader, bits)
		require.NoError(t, err)
		return k
	}
	ecKey := func(c elliptic.Curve) crypto.Signer {
		k, err := ecdsa.GenerateKey(c, rand.Reader)
		require.NoError(t, err)
		return k
	}
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	tests := []struct {
		name  string
		key   crypto.Signer
		want  domain.KeyType
		known bool
	}{
		{"p256", ecKey(elliptic.P256()), domain.KeyECDSAP256, true},
		{"p384", ecKey(elliptic.P384()), domain.KeyECDSAP384, true},
		{"p521 is named but unknown", ecKey(elliptic.P521()), "ecdsa-p521", false},
		{"rsa2048", rsaKey(2048), domain.KeyRSA2048, true},
		{"rsa1024 is named but unknown", rsaKey(1024), "rsa-1024", false},
		{"ed25519", edKey, domain.KeyEd25519, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			csr, err := domain.ParseCSR(csrPEM(t, tc.key, x509.CertificateRequest{DNSNames: []string{"a.example.com"}}))
			require.NoError(t, err)
			assert.Equal(t, tc.want, csr.KeyType())
			assert.Equal(t, tc.known, csr.KeyType().Known())
		})
	}
}

func TestParseCSRRejectsBadInput(t *testing.T) {
	good := csrPEM(t, newKey(t), x509.CertificateRequest{DNSNames: []string{"a.example.com"}})
	block, _ := pem.Decode(good)
	badSig := bytes.Clone(block.Bytes)
	badSig[len(badSig)-1] ^= 0xff // the last byte belongs to the signature
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: block.Bytes})
	headers := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED"}, Bytes: block.Bytes})
	oversized := append(bytes.Repeat([]byte(" "), domain.MaxCSRSize), good...)

	tests := []struct {
		name string
		in   []byte
		msg  string
	}{
		{"empty", nil, "not PEM"},
		{"garbage", []byte("hello, I am a CSR"), "not PEM"},
		{"text before the block", append([]byte("Certificate Request:\n"), good...), "not PEM"},
		{"broken PEM", []byte("-----BEGIN CERTIFICATE REQUEST-----\n!!!\n"), "not valid PEM"},
		{"certificate block", cert, `"CERTIFICATE"`},
		{"two blocks", append(bytes.Clone(good), good...), "more than one PEM block"},
		{"trailing data", append(bytes.Clone(good), "trailing"...), "data after"},
		{"headers", headers, "headers"},
		{"oversized", oversized, "limit"},
		{"not DER", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: []byte("garbage")}), "cannot be parsed"},
		{"wrong signature", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: badSig}), "signature does not verify"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := domain.ParseCSR(tc.in)
			require.Error(t, err)
			assert.True(t, domain.IsKind(err, domain.KindInvalid), "kind of %v", err)
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
}

func TestParseCSRAcceptsLegacyBlockType(t *testing.T) {
	good := csrPEM(t, newKey(t), x509.CertificateRequest{DNSNames: []string{"a.example.com"}})
	legacy := strings.ReplaceAll(string(good), "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST")
	_, err := domain.ParseCSR([]byte(legacy))
	require.NoError(t, err)
}
