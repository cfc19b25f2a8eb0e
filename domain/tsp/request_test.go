package tsp_test

import (
	"crypto"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/digitorus/timestamp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain/tsp"
)

// TestRefusedRequestsSayWhy checks each refusal's RFC 3161 failure info, and that OpenSSL
// reads the rejection.
func TestRefusedRequestsSayWhy(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	require.NoError(t, os.WriteFile(data, []byte("x"), 0o600))
	query := func(alg string) []byte {
		out, err := exec.Command("openssl", "ts", "-query", "-data", data, "-"+alg).Output()
		require.NoError(t, err)
		return out
	}
	marshal := func(r timestamp.Request) []byte {
		der, err := r.Marshal()
		require.NoError(t, err)
		return der
	}
	v2 := query("sha256")
	require.Equal(t, []byte{2, 1, 1}, v2[2:5], "version 1 right after the SEQUENCE header")
	v2[4] = 2
	cases := map[string]struct {
		der  []byte
		want tsp.FailureInfo
	}{
		"sha1":         {query("sha1"), tsp.BadAlg},
		"md5":          {query("md5"), tsp.BadAlg},
		"short sha256": {marshal(timestamp.Request{HashAlgorithm: crypto.SHA256, HashedMessage: make([]byte, 31)}), tsp.BadDataFormat},
		"other policy": {marshal(timestamp.Request{HashAlgorithm: crypto.SHA256, HashedMessage: make([]byte, 32),
			TSAPolicyOID: asn1.ObjectIdentifier{1, 2, 3}}), tsp.UnacceptedPolicy},
		"extension": {marshal(timestamp.Request{HashAlgorithm: crypto.SHA256, HashedMessage: make([]byte, 32),
			ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 2, 3}, Value: []byte{5, 0}}}}), tsp.UnacceptedExtension},
		"negative nonce": {marshal(timestamp.Request{HashAlgorithm: crypto.SHA256, HashedMessage: make([]byte, 32),
			Nonce: big.NewInt(-1)}), tsp.BadRequest},
		"version 2": {v2, tsp.BadRequest},
		"not DER":   {[]byte("hello"), tsp.BadDataFormat},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := tsp.ParseRequest(c.der, policy)
			var f *tsp.Failure
			require.ErrorAs(t, err, &f)
			assert.Equal(t, c.want, f.Info, f.Reason)
		})
	}
	_, err := tsp.ParseRequest(marshal(timestamp.Request{HashAlgorithm: crypto.SHA256, HashedMessage: make([]byte, 32),
		TSAPolicyOID: policy}), policy)
	assert.NoError(t, err, "the TSA's own policy is accepted")

	reply := filepath.Join(dir, "rejected.tsr")
	require.NoError(t, os.WriteFile(reply, tsp.Rejection(&tsp.Failure{Info: tsp.BadAlg, Reason: "sha1"}), 0o600))
	out, err := exec.Command("openssl", "ts", "-reply", "-in", reply, "-text").CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "Status: Rejected.")
	assert.Contains(t, string(out), "unrecognized or unsupported algorithm")
	assert.Contains(t, string(out), "sha1")
}
