package cms_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain/cms"
	"github.com/certledger/certledger/tests/winpe"
)

// TestAuthenticodeIsWhatOsslsigncodeAttachesAndVerifies signs a PE's extracted indirect data
// without the PE, attaches the SignedData with osslsigncode and has it verify the PE, and
// refuse it with one byte changed.
func TestAuthenticodeIsWhatOsslsigncodeAttachesAndVerifies(t *testing.T) {
	exe := winpe.Build(t)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	s := newCodeSigner(t, key)
	dir := filepath.Dir(exe)
	run := func(args ...string) ([]byte, error) { return exec.Command("osslsigncode", args...).CombinedOutput() }
	data := filepath.Join(dir, "data.der")
	out, err := run("extract-data", "-h", "sha256", "-in", exe, "-out", data)
	require.NoError(t, err, "%s", out)
	extracted, err := os.ReadFile(data)
	require.NoError(t, err)
	content, err := cms.IndirectDataOf(extracted)
	require.NoError(t, err)
	h, imageHash, err := cms.ParseIndirectData(content)
	require.NoError(t, err)
	assert.Equal(t, crypto.SHA256, h)
	assert.Len(t, imageHash, 32)

	sd, err := cms.NewAuthenticode(content, crypto.SHA256, s.cert, []*x509.Certificate{s.ca}, time.Now())
	require.NoError(t, err)
	sig, err := s.key.Sign(rand.Reader, sd.Digest(), sd.Hash())
	require.NoError(t, err)
	der, err := sd.Finish(sig)
	require.NoError(t, err)
	sigFile, caFile, signed := filepath.Join(dir, "sig.p7s"), filepath.Join(dir, "ca.pem"), filepath.Join(dir, "signed.exe")
	require.NoError(t, os.WriteFile(sigFile, der, 0o600))
	require.NoError(t, os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.ca.Raw}), 0o600))
	out, err = run("attach-signature", "-sigin", sigFile, "-CAfile", caFile, "-in", exe, "-out", signed)
	require.NoError(t, err, "%s", out)
	out, err = run("verify", "-CAfile", caFile, "-in", signed)
	require.NoError(t, err, "%s", out)

	pe, err := os.ReadFile(signed)
	require.NoError(t, err)
	pe[len(pe)/3] ^= 0x01
	tampered := filepath.Join(dir, "tampered.exe")
	require.NoError(t, os.WriteFile(tampered, pe, 0o600))
	out, err = run("verify", "-CAfile", caFile, "-in", tampered)
	assert.Error(t, err, "one changed byte: %s", out)

	_, err = cms.NewAuthenticode(content, crypto.SHA384, s.cert, nil, time.Now())
	assert.Error(t, err, "the digest is the image hash's")
	_, _, err = cms.ParseIndirectData([]byte{0x30, 0x00})
	assert.Error(t, err)
}
