package cms_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain/cms"
)

// TestAddUnsignedAttributeIsFinishWithIt adds unsigned attributes to a finished SignedData
// (a timestamp token comes after the signature it covers) and gets, byte for byte, what
// Finish with them would have encoded; openssl still verifies the file against it.
func TestAddUnsignedAttributeIsFinishWithIt(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	s := newCodeSigner(t, key)
	content := []byte("the artifact\n")
	digest := crypto.SHA256.New()
	digest.Write(content)
	sd, err := cms.NewDetached(digest.Sum(nil), crypto.SHA256, s.cert, []*x509.Certificate{s.ca}, time.Now())
	require.NoError(t, err)
	sig, err := s.key.Sign(rand.Reader, sd.Digest(), sd.Hash())
	require.NoError(t, err)
	plain, err := sd.Finish(sig)
	require.NoError(t, err)
	token := cms.Attribute{Type: cms.OIDTimeStampToken, Value: []byte{0x05, 0x00}}
	other := cms.Attribute{Type: asn1.ObjectIdentifier{1, 2, 3, 4}, Value: []byte{0x02, 0x01, 0x07}}

	value, err := cms.SignatureValue(plain)
	require.NoError(t, err)
	assert.Equal(t, sig, value, "the signature a timestamp covers")
	stamped, err := cms.AddUnsignedAttribute(plain, token)
	require.NoError(t, err)
	want, err := sd.Finish(sig, token)
	require.NoError(t, err)
	assert.Equal(t, want, stamped)
	both, err := cms.AddUnsignedAttribute(stamped, other)
	require.NoError(t, err)
	want, err = sd.Finish(sig, other, token)
	require.NoError(t, err)
	assert.Equal(t, want, both, "a second attribute joins the first, sorted")
	value, err = cms.SignatureValue(both)
	require.NoError(t, err)
	assert.Equal(t, sig, value, "found before the unsigned attributes too")

	dir := t.TempDir()
	file, p7s, ca := filepath.Join(dir, "f"), filepath.Join(dir, "f.p7s"), filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(file, content, 0o600))
	require.NoError(t, os.WriteFile(p7s, both, 0o600))
	require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.ca.Raw}), 0o600))
	out, err := exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7s, "-content", file,
		"-CAfile", ca, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
	require.NoError(t, err, "%s", out)

	for _, bad := range [][]byte{nil, []byte("not DER"), content, append(plain, 0)} {
		_, err := cms.AddUnsignedAttribute(bad, token)
		assert.Error(t, err)
		_, err = cms.SignatureValue(bad)
		assert.Error(t, err)
	}
}
