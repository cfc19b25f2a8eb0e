package domain_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

func TestLeafVerifiesThroughTheChain(t *testing.T) {
	c := newChain(t)
	p := defineProfile(t, webSpec("", false))
	csr, _ := dnsCSR(t, "www.example.com", "www.example.com", "api.example.com")

	der := c.issueLeaf(t, csr, p, t0, 30)
	leaf, err := x509.ParseCertificate(der)
	require.NoError(t, err)

	roots, inters := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(c.root.Certificate())
	inters.AddCert(c.inter.Certificate())
	chains, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inters, DNSName: "api.example.com",
		CurrentTime: t0.Add(time.Hour), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	require.NoError(t, err)
	require.Len(t, chains, 1)
	assert.Len(t, chains[0], 3)

	assert.Equal(t, pkix.Name{CommonName: "www.example.com"}.String(), leaf.Subject.String())
	assert.False(t, leaf.IsCA)
	assert.True(t, leaf.BasicConstraintsValid)
	assert.Equal(t, c.inter.Certificate().SubjectKeyId, leaf.AuthorityKeyId)
	assert.Equal(t, spkiSHA1(t, leaf), leaf.SubjectKeyId, "RFC 5280 method 1")
	assert.Equal(t, spkiSHA1(t, c.inter.Certificate()), c.inter.Certificate().SubjectKeyId)
	assert.Equal(t, c.root.Certificate().SubjectKeyId, c.root.Certificate().AuthorityKeyId, "a root names its own key")
	assert.Equal(t, []string{c.inter.CRLURL()}, leaf.CRLDistributionPoints)
	assert.Equal(t, []string{c.inter.OCSPURL()}, leaf.OCSPServer)
	assert.Equal(t, []string{c.inter.IssuerURL()}, leaf.IssuingCertificateURL)
	assert.Equal(t, x509.KeyUsageDigitalSignature, leaf.KeyUsage, "no keyEncipherment for an EC key")
	assert.Equal(t, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, leaf.ExtKeyUsage)
	assert.LessOrEqual(t, leaf.SerialNumber.BitLen(), 128)
	assert.Equal(t, t0.Add(-domain.Backdate), leaf.NotBefore)
	assert.Equal(t, t0.AddDate(0, 0, 30), leaf.NotAfter)
}

// spkiSHA1 hashes the subjectPublicKey BIT STRING, which for these keys is the SPKI's tail.
func spkiSHA1(t *testing.T, cert *x509.Certificate) []byte {
	t.Helper()
	var pk []byte
	switch k := cert.PublicKey.(type) {
	case interface{ Bytes() ([]byte, error) }:
		b, err := k.Bytes()
		require.NoError(t, err)
		pk = b
	default:
		t.Fatalf("unexpected key %T", k)
	}
	require.True(t, bytes.HasSuffix(cert.RawSubjectPublicKeyInfo, pk))
	sum := sha1.Sum(pk)
	return sum[:]
}

func TestRSALeafGetsKeyEncipherment(t *testing.T) {
	c := newChain(t)
	p := defineProfile(t, webSpec("", false))
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	csr, err := domain.ParseCSR(csrPEM(t, key, x509.CertificateRequest{DNSNames: []string{"rsa.example.com"}}))
	require.NoError(t, err)

	leaf, err := x509.ParseCertificate(c.issueLeaf(t, csr, p, t0, 30))
	require.NoError(t, err)
	assert.Equal(t, x509.KeyUsageDigitalSignature|x509.KeyUsageKeyEncipherment, leaf.KeyUsage)
}

func TestIssuanceTemplateRefusals(t *testing.T) {
	c := newChain(t)
	p := defineProfile(t, webSpec("", false))
	csr, _ := dnsCSR(t, "www.example.com", "www.example.com")
	nb, na := domain.ValidityWindow(t0, 30)
	tooBig := new(big.Int).Lsh(big.NewInt(1), 159)
	tests := []struct {
		name   string
		change func(*domain.IssuanceInput)
		kind   domain.ErrorKind
	}{
		{"fine", func(*domain.IssuanceInput) {}, ""},
		{"no serial", func(in *domain.IssuanceInput) { in.Serial = nil }, domain.KindInvalid},
		{"zero serial", func(in *domain.IssuanceInput) { in.Serial = big.NewInt(0) }, domain.KindInvalid},
		{"negative serial", func(in *domain.IssuanceInput) { in.Serial = big.NewInt(-5) }, domain.KindInvalid},
		{"serial over 20 octets", func(in *domain.IssuanceInput) { in.Serial = tooBig }, domain.KindInvalid},
		{"ends before it starts", func(in *domain.IssuanceInput) { in.NotAfter = in.NotBefore }, domain.KindInvalid},
		{"longer than the profile allows", func(in *domain.IssuanceInput) { in.NotAfter = in.NotBefore.AddDate(0, 0, 91) }, domain.KindPolicy},
		{"outlives the issuer", func(in *domain.IssuanceInput) {
			in.NotBefore, in.NotAfter = c.inter.NotAfter().AddDate(0, 0, -5), c.inter.NotAfter().AddDate(0, 0, 5)
		}, domain.KindPolicy},
		{"no CSR", func(in *domain.IssuanceInput) { in.CSR = nil }, domain.KindInvalid},
		{"no profile", func(in *domain.IssuanceInput) { in.Profile = nil }, domain.KindNotFound},
		{"no issuer", func(in *domain.IssuanceInput) { in.Issuer = &domain.CA{} }, domain.KindNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := domain.IssuanceInput{Serial: big.NewInt(42), CSR: csr, Profile: p, Issuer: c.inter, NotBefore: nb, NotAfter: na}
			tc.change(&in)
			_, err := domain.IssuanceTemplate(in)
			assert.Equal(t, tc.kind, domain.KindOf(err), "%v", err)
		})
	}
	t.Run("largest serial", func(t *testing.T) {
		assert.NoError(t, domain.CheckSerial(new(big.Int).Sub(tooBig, big.NewInt(1))))
	})
}

func TestNewSerial(t *testing.T) {
	s, err := domain.NewSerial(rand.Reader)
	require.NoError(t, err)
	assert.Positive(t, s.Sign())
	assert.LessOrEqual(t, s.BitLen(), 128)
	assert.NoError(t, domain.CheckSerial(s))

	_, err = domain.NewSerial(bytes.NewReader(make([]byte, 16)))
	assert.Error(t, err, "all zeros")
	_, err = domain.NewSerial(bytes.NewReader([]byte{1, 2, 3}))
	assert.Error(t, err, "short read")

	fixed, err := domain.NewSerial(bytes.NewReader(bytes.Repeat([]byte{0xff}, 16)))
	require.NoError(t, err)
	assert.Equal(t, 128, fixed.BitLen())
}

func TestCATemplateRefusesAMismatchedKey(t *testing.T) {
	spec := caSpec("Root", 1, 3650)
	spec.KeyType = domain.KeyECDSAP384
	_, err := domain.CATemplate(domain.CATemplateInput{Spec: spec, Serial: big.NewInt(1), PublicKey: newKey(t).Public(), At: t0})
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "%v", err)
}
