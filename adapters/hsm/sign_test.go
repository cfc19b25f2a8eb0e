package hsm_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
)

var signingAlgorithms = []struct {
	name    string
	alg     hsm.KeyAlgorithm
	pubType any
	bits    int
}{
	{name: "ecdsa-p256", alg: hsm.ECDSAP256, pubType: &ecdsa.PublicKey{}, bits: 256},
	{name: "ecdsa-p384", alg: hsm.ECDSAP384, pubType: &ecdsa.PublicKey{}, bits: 384},
	{name: "rsa-2048", alg: hsm.RSA2048, pubType: &rsa.PublicKey{}, bits: 2048},
	{name: "rsa-3072", alg: hsm.RSA3072, pubType: &rsa.PublicKey{}, bits: 3072},
	{name: "rsa-4096", alg: hsm.RSA4096, pubType: &rsa.PublicKey{}, bits: 4096},
}

// verify checks sig over a SHA-256 digest with the standard library.
func verify(t *testing.T, pub crypto.PublicKey, digest, sig []byte) {
	t.Helper()
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		assert.True(t, ecdsa.VerifyASN1(k, digest, sig), "ECDSA signature does not verify")
	case *rsa.PublicKey:
		assert.NoError(t, rsa.VerifyPKCS1v15(k, crypto.SHA256, digest, sig))
	default:
		t.Fatalf("unexpected public key type %T", pub)
	}
}

func TestGenerateKeySignAndVerify(t *testing.T) {
	h := hsmtest.Open(t)
	for _, tc := range signingAlgorithms {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			label := hsmtest.Label(t, "key")
			info, err := h.GenerateKey(context.Background(), label, tc.alg)
			require.NoError(t, err)
			assert.Len(t, info.ID, 16)
			assert.Equal(t, label, info.Label)
			assert.Equal(t, tc.alg, info.Algorithm)
			require.IsType(t, tc.pubType, info.PublicKey)
			switch k := info.PublicKey.(type) {
			case *ecdsa.PublicKey:
				assert.Equal(t, tc.bits, k.Curve.Params().BitSize)
			case *rsa.PublicKey:
				assert.Equal(t, tc.bits, k.N.BitLen())
			}

			signer, err := h.Signer(label)
			require.NoError(t, err)
			digest := sha256.Sum256([]byte("certledger " + tc.name))
			sig, err := signer.Sign(rand.Reader, digest[:], crypto.SHA256)
			require.NoError(t, err)
			verify(t, info.PublicKey, digest[:], sig)

			found, err := h.Key(label)
			require.NoError(t, err)
			assert.Equal(t, info.ID, found.ID)
			assert.Equal(t, tc.alg, found.Algorithm)
			assert.True(t, info.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(found.PublicKey))

			selfSigned(t, tc.alg, signer)
		})
	}
}

// selfSigned makes a CA certificate, a CRL and checks both signatures with crypto/x509.
func selfSigned(t *testing.T, alg hsm.KeyAlgorithm, signer crypto.Signer) {
	t.Helper()
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(now.UnixNano()),
		Subject:               pkix.Name{CommonName: "certledger test CA " + string(alg)},
		NotBefore:             now.Add(-time.Minute),
		NotAfter:              now.Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		SignatureAlgorithm:    alg.X509SignatureAlgorithm(),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, signer.Public(), signer)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	assert.Equal(t, alg.X509SignatureAlgorithm(), cert.SignatureAlgorithm)
	require.NoError(t, cert.CheckSignatureFrom(cert))

	crlDER, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		Number:     big.NewInt(1),
		ThisUpdate: now,
		NextUpdate: now.Add(time.Hour),
		RevokedCertificateEntries: []x509.RevocationListEntry{
			{SerialNumber: big.NewInt(42), RevocationTime: now},
		},
	}, cert, signer)
	require.NoError(t, err)
	crl, err := x509.ParseRevocationList(crlDER)
	require.NoError(t, err)
	require.NoError(t, crl.CheckSignatureFrom(cert))
	require.Len(t, crl.RevokedCertificateEntries, 1)
}

func TestEd25519IsReportedAsUnsupported(t *testing.T) {
	h := hsmtest.Open(t)
	_, err := h.GenerateKey(context.Background(), hsmtest.Label(t, "ed"), hsm.Ed25519)
	require.ErrorIs(t, err, hsm.ErrUnsupportedAlgorithm)
	assert.Contains(t, err.Error(), "crypto11")
	assert.Equal(t, x509.PureEd25519, hsm.Ed25519.X509SignatureAlgorithm())
}
