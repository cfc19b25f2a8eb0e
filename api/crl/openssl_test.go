package crl_test

import (
	"context"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/crl"
)

// fetch GETs a URL and returns the body, requiring 200 and the content type.
func fetch(t *testing.T, url, contentType string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	require.Equal(t, contentType, resp.Header.Get("Content-Type"))
	return body
}

// verify runs `openssl verify -crl_check` of cert against ca.pem with the given CRL files.
func verify(t *testing.T, p *pki, cert string, extra []string, crls ...string) (string, error) {
	args := []string{"verify", "-crl_check", "-CAfile", filepath.Join(p.dir, "ca.pem")}
	args = append(args, extra...)
	for _, c := range crls {
		args = append(args, "-CRLfile", c)
	}
	return openssl(append(args, cert)...)
}

func save(t *testing.T, dir, name string, data []byte) string {
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}

func TestOpenSSLSeesRevocationAfterOnePoll(t *testing.T) {
	ctx := context.Background()
	p := newPKI(t)
	src := &source{}
	src.revoke("root", crl.Entry{Serial: big.NewInt(0x1111), RevokedAt: time.Now().Add(-48 * time.Hour)})
	svc := newService(t, p, src, pgNumbers(t), crl.Config{BaseURL: "http://crl.example.com"})
	srv := serve(t, svc)
	leaf := filepath.Join(p.dir, "leaf.pem")

	require.NoError(t, svc.Refresh(ctx))
	before := save(t, p.dir, "before.pem", fetch(t, srv.URL+"/crl/root.pem", crl.ContentTypePEM))
	out, err := verify(t, p, leaf, nil, before)
	require.NoError(t, err, out)
	assert.Contains(t, out, "leaf.pem: OK")

	revokedAt := time.Now().Add(-time.Minute).UTC().Truncate(time.Second)
	compromised := revokedAt.Add(-6 * time.Hour)
	src.revoke("root", crl.Entry{Serial: p.leaf.SerialNumber, RevokedAt: revokedAt, Reason: crl.ReasonKeyCompromise, InvalidityDate: &compromised})
	require.NoError(t, svc.Refresh(ctx))

	after := save(t, p.dir, "after.pem", fetch(t, srv.URL+"/crl/root.pem", crl.ContentTypePEM))
	out, err = verify(t, p, leaf, nil, after)
	require.Error(t, err, out)
	assert.Contains(t, out, "certificate revoked")

	text := opensslCRLText(t, fetch(t, srv.URL+"/crl/root.crl", crl.ContentTypeDER))
	current, err := svc.Complete("root")
	require.NoError(t, err)
	for _, want := range []string{
		"X509v3 CRL Number: \n                " + current.Number.String(),
		"Next Update: " + current.NextUpdate.Format("Jan _2 15:04:05 2006 GMT"),
		"Serial Number: 7F3A9C0D11E24B6A8F0C5D9E2A1B3C4D",
		"Revocation Date: " + revokedAt.Format("Jan _2 15:04:05 2006 GMT"),
		"X509v3 CRL Reason Code: \n                Key Compromise",
		"Invalidity Date: \n                " + compromised.Format("Jan _2 15:04:05 2006 GMT"),
		"Serial Number: 1111",
		"X509v3 Authority Key Identifier",
		"X509v3 Freshest CRL: \n                Full Name:\n                  URI:http://crl.example.com/crl/root/delta.crl",
	} {
		assert.Contains(t, text, want)
	}
	assert.Equal(t, 1, strings.Count(text, "Reason Code"), "the entry with reason unspecified has no reason code")
}

func TestOpenSSLAppliesDeltaToItsBase(t *testing.T) {
	ctx := context.Background()
	p := newPKI(t)
	src := &source{}
	src.revoke("root", crl.Entry{Serial: big.NewInt(0x1111), RevokedAt: time.Now().Add(-48 * time.Hour)})
	svc := newService(t, p, src, pgNumbers(t), crl.Config{BaseURL: "http://crl.example.com"})
	srv := serve(t, svc)
	leaf := filepath.Join(p.dir, "leaf.pem")

	require.NoError(t, svc.Refresh(ctx))
	base := save(t, p.dir, "base.pem", fetch(t, srv.URL+"/crl/root.pem", crl.ContentTypePEM))
	src.revoke("root", crl.Entry{Serial: p.leaf.SerialNumber, RevokedAt: time.Now(), Reason: crl.ReasonKeyCompromise})
	require.NoError(t, svc.Refresh(ctx))

	deltaDER := fetch(t, srv.URL+"/crl/root/delta.crl", crl.ContentTypeDER)
	text := opensslCRLText(t, deltaDER)
	assert.Contains(t, text, "X509v3 Delta CRL Indicator: critical")
	assert.Contains(t, text, "Serial Number: 7F3A9C0D11E24B6A8F0C5D9E2A1B3C4D")
	assert.NotContains(t, text, "Serial Number: 1111", "the delta lists only entries since its base")
	assert.NotContains(t, text, "Freshest CRL")
	delta := save(t, p.dir, "delta.pem", fetch(t, srv.URL+"/crl/root/delta.pem", crl.ContentTypePEM))

	out, err := verify(t, p, leaf, []string{"-use_deltas"}, base)
	require.NoError(t, err, "the base alone does not list the leaf: %s", out)
	out, err = verify(t, p, leaf, []string{"-use_deltas"}, base, delta)
	require.Error(t, err, out)
	assert.Contains(t, out, "certificate revoked", "openssl applies the delta to the older complete CRL")
}

func TestOpenSSLShowsPartitionIssuingDistributionPoint(t *testing.T) {
	p := newPKI(t)
	const idp = "http://crl.example.com/crl/root/part-3.crl"
	member := p.issue(t, big.NewInt(0x3003), idp)
	memberPath := save(t, p.dir, "member.der", member.Raw)
	_, err := openssl("x509", "-inform", "DER", "-in", memberPath, "-out", filepath.Join(p.dir, "member.pem"))
	require.NoError(t, err)

	der, err := crl.BuildPartition(p.issuer, []crl.Entry{
		{Serial: member.SerialNumber, RevokedAt: time.Now(), Reason: crl.ReasonSuperseded},
	}, idp, params(1))
	require.NoError(t, err)
	text := opensslCRLText(t, der)
	assert.Contains(t, text, "X509v3 Issuing Distribution Point: critical")
	assert.Contains(t, text, "Full Name:\n                  URI:"+idp)
	assert.Contains(t, text, "Only User Certificates")
	assert.Contains(t, text, "Superseded")

	out, err := openssl("crl", "-inform", "DER", "-in", save(t, p.dir, "part.der", der), "-out", filepath.Join(p.dir, "part.pem"))
	require.NoError(t, err, out)
	out, err = verify(t, p, filepath.Join(p.dir, "member.pem"), nil, filepath.Join(p.dir, "part.pem"))
	require.Error(t, err, out)
	assert.Contains(t, out, "certificate revoked", "the partition covers certificates naming it as their distribution point")
}
