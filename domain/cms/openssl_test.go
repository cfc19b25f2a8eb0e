package cms_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain/cms"
)

// codeSigner is a CA and a code-signing certificate under it with its key.
type codeSigner struct {
	ca, cert *x509.Certificate
	key      crypto.Signer
}

func newCodeSigner(t testing.TB, key crypto.Signer) codeSigner {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "cms test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(77), Subject: pkix.Name{CommonName: "release signing"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return codeSigner{ca: ca, cert: cert, key: key}
}

// signFile builds the detached SignedData of a file from its digest alone.
func signFile(t *testing.T, s codeSigner, content []byte, h crypto.Hash) []byte {
	t.Helper()
	d := h.New()
	d.Write(content)
	sd, err := cms.NewDetached(d.Sum(nil), h, s.cert, []*x509.Certificate{s.ca}, time.Now())
	require.NoError(t, err)
	sig, err := s.key.Sign(rand.Reader, sd.Digest(), sd.Hash())
	require.NoError(t, err)
	der, err := sd.Finish(sig)
	require.NoError(t, err)
	return der
}

// TestOpenSSLVerifiesTheDetachedSignature checks the SignedData with `openssl cms -verify`
// against the artifact, for each key type and digest, and sees a changed byte fail.
// `-purpose any`: OpenSSL 3.0 checks S/MIME purpose by default, which a code-signing
// certificate does not have.
func TestOpenSSLVerifiesTheDetachedSignature(t *testing.T) {
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	cases := map[string]struct {
		key crypto.Signer
		h   crypto.Hash
	}{"P-256 SHA-256": {p256, crypto.SHA256}, "P-384 SHA-384": {p384, crypto.SHA384},
		"RSA SHA-512": {rsaKey, crypto.SHA512}, "RSA SHA-256": {rsaKey, crypto.SHA256}}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			s := newCodeSigner(t, c.key)
			dir := t.TempDir()
			artifact := []byte("release 1.2.3 of something that matters\n")
			write := func(name string, data []byte) string {
				path := filepath.Join(dir, name)
				require.NoError(t, os.WriteFile(path, data, 0o600))
				return path
			}
			sigPath := write("artifact.p7s", signFile(t, s, artifact, c.h))
			caPath := write("ca.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.ca.Raw}))
			verify := func(content string) ([]byte, error) {
				return exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", sigPath,
					"-content", content, "-CAfile", caPath, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
			}
			out, err := verify(write("artifact", artifact))
			require.NoError(t, err, "%s", out)
			assert.Contains(t, string(out), "Verification successful")

			tampered := append([]byte{}, artifact...)
			tampered[0] ^= 1
			out, err = verify(write("tampered", tampered))
			assert.Error(t, err, "one changed byte must fail: %s", out)
		})
	}
}

func TestNewDetachedRefusesWeakOrWrongDigests(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	s := newCodeSigner(t, key)
	_, err = cms.NewDetached(make([]byte, 20), crypto.SHA1, s.cert, nil, time.Now())
	assert.ErrorContains(t, err, "not accepted")
	_, err = cms.NewDetached(make([]byte, 31), crypto.SHA256, s.cert, nil, time.Now())
	assert.ErrorContains(t, err, "is 32 bytes, not 31")
}

// TestSignedAttributesAndUnsignedOnesAsOpenSSLPrintsThem checks the attributes the
// signature covers, and that an unsigned attribute added after signing leaves it valid.
func TestSignedAttributesAndUnsignedOnesAsOpenSSLPrintsThem(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	s := newCodeSigner(t, key)
	digest := make([]byte, 32)
	sd, err := cms.NewDetached(digest, crypto.SHA256, s.cert, nil, time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	sig, err := s.key.Sign(rand.Reader, sd.Digest(), sd.Hash())
	require.NoError(t, err)
	der, err := sd.Finish(sig, cms.Attribute{Type: cms.OIDTimeStampToken, Value: []byte{0x05, 0x00}})
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "x.p7s")
	require.NoError(t, os.WriteFile(path, der, 0o600))
	out, err := exec.Command("openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", path).CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, want := range []string{"contentType", "messageDigest", "signingTime", "Dec  3 10:00:00 2026 GMT",
		"id-smime-aa-timeStampToken", "ecdsa-with-SHA256", "serialNumber: 77", "eContent: <ABSENT>"} {
		assert.Contains(t, string(out), want)
	}
}
