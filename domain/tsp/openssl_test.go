package tsp_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
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
	"github.com/certledger/certledger/domain/tsp"
)

var policy = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 3161, 1}

// tsa is a CA and a TSA certificate (EKU timeStamping, critical) under it, with its key.
type tsa struct {
	ca, cert *x509.Certificate
	key      crypto.Signer
}

func newTSA(t *testing.T) tsa {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "tsp test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	eku, err := asn1.Marshal([]asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 8}})
	require.NoError(t, err)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(3161), Subject: pkix.Name{CommonName: "test TSA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 37}, Critical: true, Value: eku}}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return tsa{ca: ca, cert: cert, key: key}
}

// answer builds the TimeStampResp to a request as the TSA does, signing with a software key.
func (s tsa) answer(t *testing.T, req tsp.Request) []byte {
	t.Helper()
	info, err := tsp.TSTInfo{Policy: policy, Hash: req.Hash, Imprint: req.Imprint, Serial: big.NewInt(42),
		GenTime: time.Now(), Nonce: req.Nonce, TSA: s.cert}.Marshal()
	require.NoError(t, err)
	essCert, err := cms.SigningCertificateV2(s.cert)
	require.NoError(t, err)
	sd, err := cms.NewEncapsulated(cms.OIDTSTInfo, info, crypto.SHA256, s.cert, nil, req.CertReq, time.Now(), essCert)
	require.NoError(t, err)
	sig, err := s.key.Sign(rand.Reader, sd.Digest(), sd.Hash())
	require.NoError(t, err)
	token, err := sd.Finish(sig)
	require.NoError(t, err)
	resp, err := tsp.Granted(token)
	require.NoError(t, err)
	return resp
}

func openssl(t *testing.T, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command("openssl", args...).CombinedOutput()
	return string(out), err
}

// TestOpenSSLVerifiesTheTokens answers `openssl ts -query` requests, with and without the
// certificate asked for, and checks the replies with `openssl ts -verify` against the query
// and the data, and that a changed byte of the data fails.
func TestOpenSSLVerifiesTheTokens(t *testing.T) {
	s := newTSA(t)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, data, 0o600))
		return p
	}
	data := write("data", []byte("release 1.2.3\n"))
	caFile := write("ca.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.ca.Raw}))
	tsaFile := write("tsa.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.cert.Raw}))
	tampered := write("tampered", []byte("release 1.2.4\n"))
	for name, args := range map[string][]string{"sha256 with cert": {"-sha256", "-cert"},
		"sha512 without cert": {"-sha512"}, "sha384 no nonce": {"-sha384", "-cert", "-no_nonce"}} {
		t.Run(name, func(t *testing.T) {
			query := filepath.Join(dir, name+".tsq")
			out, err := openssl(t, append([]string{"ts", "-query", "-data", data, "-out", query}, args...)...)
			require.NoError(t, err, out)
			der, err := os.ReadFile(query)
			require.NoError(t, err)
			req, err := tsp.ParseRequest(der, policy)
			require.NoError(t, err)
			reply := write(name+".tsr", s.answer(t, req))
			out, err = openssl(t, "ts", "-verify", "-in", reply, "-queryfile", query, "-CAfile", caFile, "-untrusted", tsaFile)
			require.NoError(t, err, out)
			assert.Contains(t, out, "Verification: OK")
			out, err = openssl(t, "ts", "-verify", "-in", reply, "-data", data, "-CAfile", caFile, "-untrusted", tsaFile)
			require.NoError(t, err, out)
			out, err = openssl(t, "ts", "-verify", "-in", reply, "-data", tampered, "-CAfile", caFile, "-untrusted", tsaFile)
			assert.Error(t, err, "a changed byte must fail: %s", out)
			out, err = openssl(t, "ts", "-reply", "-in", reply, "-text")
			require.NoError(t, err, out)
			assert.Contains(t, out, "Policy OID: 1.3.6.1.4.1.32473.3161.1")
			assert.Contains(t, out, "Serial number: 0x2A")
		})
	}
}
