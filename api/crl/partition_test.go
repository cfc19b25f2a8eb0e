package crl_test

import (
	"context"
	"crypto/x509"
	"encoding/asn1"
	"math/big"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/crl"
	"github.com/certledger/certledger/domain"
)

const rootCRLURL = "http://crl.example.com/crl/root.crl"

var oidIssuingDistributionPoint = asn1.ObjectIdentifier{2, 5, 29, 28}

// partitioned returns a Service for p's CA with its CRL in four partitions.
func partitioned(t *testing.T, p *pki, src crl.Source, numbers crl.NumberStore) *crl.Service {
	t.Helper()
	p.issuer.Partitions, p.issuer.CRLURL = 4, rootCRLURL
	return newService(t, p, src, numbers, crl.Config{})
}

// serialsOf parses a CRL and returns its entries' serials, in hex, and its IDP extension.
func serialsOf(t *testing.T, der []byte) ([]string, *x509.RevocationList) {
	t.Helper()
	rl, err := x509.ParseRevocationList(der)
	require.NoError(t, err)
	var out []string
	for _, e := range rl.RevokedCertificateEntries {
		out = append(out, e.SerialNumber.Text(16))
	}
	return out, rl
}

func TestPartitionCRLsListOnlyTheirEntries(t *testing.T) {
	ctx := context.Background()
	p := newPKI(t)
	src := &source{}
	for _, s := range []int64{0x10, 0x11, 0x15, 0x13} {
		src.revoke("root", crl.Entry{Serial: big.NewInt(s), RevokedAt: time.Now()})
	}
	svc := partitioned(t, p, src, &memNumbers{})
	require.NoError(t, svc.Refresh(ctx))

	for _, tc := range []struct {
		k    int
		want []string
	}{{0, []string{"10"}}, {1, []string{"11", "15"}}, {2, nil}, {3, []string{"13"}}} {
		c, err := svc.Partition("root", tc.k)
		require.NoError(t, err, "partition %d", tc.k)
		got, rl := serialsOf(t, c.DER)
		assert.Equal(t, tc.want, got, "partition %d", tc.k)
		assert.Equal(t, len(tc.want), c.Entries)
		var idp []byte
		for _, x := range rl.Extensions {
			if x.Id.Equal(oidIssuingDistributionPoint) {
				assert.True(t, x.Critical, "the IDP is critical")
				idp = x.Value
			}
		}
		assert.Contains(t, string(idp), domain.CRLPartitionURL(rootCRLURL, tc.k))
		require.NoError(t, rl.CheckSignatureFrom(p.ca))
	}
	complete, err := svc.Complete("root")
	require.NoError(t, err)
	assert.Equal(t, 4, complete.Entries, "the complete CRL still lists every entry")

	before := make([]*crl.CRL, 4)
	for k := range before {
		before[k], _ = svc.Partition("root", k)
	}
	src.revoke("root", crl.Entry{Serial: big.NewInt(0x16), RevokedAt: time.Now()})
	require.NoError(t, svc.Refresh(ctx))
	for k := range before {
		after, err := svc.Partition("root", k)
		require.NoError(t, err)
		if k == 2 {
			assert.Equal(t, 1, after.Number.Cmp(before[k].Number), "the revocation rebuilds its partition")
			got, _ := serialsOf(t, after.DER)
			assert.Equal(t, []string{"16"}, got)
			continue
		}
		assert.Same(t, before[k], after, "partition %d is left alone", k)
	}
	_, err = svc.Partition("root", 4)
	assert.ErrorIs(t, err, crl.ErrUnknownCA)
}

func TestRevokedCACertificatesStayOutOfPartitions(t *testing.T) {
	ctx := context.Background()
	p := newPKI(t)
	src := &source{}
	src.revoke("root", crl.Entry{Serial: big.NewInt(0x10), RevokedAt: time.Now()})
	src.revoke("root", crl.Entry{Serial: big.NewInt(0x14), RevokedAt: time.Now(), CACertificate: true})
	svc := partitioned(t, p, src, &memNumbers{})
	require.NoError(t, svc.Refresh(ctx))

	got, _ := serialsOf(t, mustPartition(t, svc, 0).DER)
	assert.Equal(t, []string{"10"}, got, "partition 0 says onlyContainsUserCerts: the CA's serial 14 is not in it")
	complete, err := svc.Complete("root")
	require.NoError(t, err)
	got, _ = serialsOf(t, complete.DER)
	assert.Equal(t, []string{"10", "14"}, got, "the complete CRL lists the revoked CA")
}

// mustPartition returns partition k of the root CA's CRL.
func mustPartition(t *testing.T, svc *crl.Service, k int) *crl.CRL {
	t.Helper()
	c, err := svc.Partition("root", k)
	require.NoError(t, err)
	return c
}

func TestAddIssuerChecksPartitions(t *testing.T) {
	for _, tc := range []struct {
		name       string
		partitions int
		crlURL     string
		baseURL    string
		wantURL    string // of partition 1; empty: AddIssuer fails
	}{
		{"from the CA's CRL URL", 4, rootCRLURL, "http://other.example.com", "http://crl.example.com/crl/root/p1.crl"},
		{"from the base URL", 4, "", "http://base.example.com/", "http://base.example.com/crl/root/p1.crl"},
		{"no URL", 4, "", "", ""},
		{"too many", domain.MaxCRLPartitions + 1, rootCRLURL, "", ""},
		{"negative", -1, rootCRLURL, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPKI(t)
			p.issuer.Partitions, p.issuer.CRLURL = tc.partitions, tc.crlURL
			svc, err := crl.NewService(&source{}, &memNumbers{}, crl.Config{BaseURL: tc.baseURL, Logger: quietLogger()})
			require.NoError(t, err)
			err = svc.AddIssuer(p.issuer)
			if tc.wantURL == "" {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.NoError(t, svc.Refresh(context.Background()))
			c, err := svc.Partition("root", 1)
			require.NoError(t, err)
			assert.Contains(t, opensslCRLText(t, c.DER), "URI:"+tc.wantURL)
		})
	}
}

func TestHTTPServesPartitions(t *testing.T) {
	p := newPKI(t)
	svc := partitioned(t, p, &source{}, &memNumbers{})
	require.NoError(t, svc.Refresh(context.Background()))
	srv := serve(t, svc)
	for _, tc := range []struct {
		path        string
		status      int
		contentType string
	}{
		{"/crl/root/p1.crl", http.StatusOK, crl.ContentTypeDER},
		{"/crl/root/p3.pem", http.StatusOK, crl.ContentTypePEM},
		{"/crl/root/delta.crl", http.StatusOK, crl.ContentTypeDER},
		{"/crl/root/p4.crl", http.StatusNotFound, ""},
		{"/crl/root/p01.crl", http.StatusNotFound, ""},
		{"/crl/root/p-1.crl", http.StatusNotFound, ""},
		{"/crl/root/px.crl", http.StatusNotFound, ""},
		{"/crl/other/p0.crl", http.StatusNotFound, ""},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, err := http.Get(srv.URL + tc.path)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tc.status, resp.StatusCode)
			if tc.contentType != "" {
				assert.Equal(t, tc.contentType, resp.Header.Get("Content-Type"))
			}
		})
	}
}

func TestOpenSSLSeesRevocationInThePartitionOfTheCertificate(t *testing.T) {
	ctx := context.Background()
	p := newPKI(t)
	src := &source{}
	svc := partitioned(t, p, src, pgNumbers(t))
	srv := serve(t, svc)

	serial := big.NewInt(0x7f3a9c0d)
	k := domain.PartitionOf(serial, 4)
	member := p.issue(t, serial, domain.CRLPartitionURL(rootCRLURL, k))
	writePEM(t, filepath.Join(p.dir, "member.pem"), "CERTIFICATE", member.Raw)
	src.revoke("root", crl.Entry{Serial: serial, RevokedAt: time.Now(), Reason: crl.ReasonKeyCompromise})
	require.NoError(t, svc.Refresh(ctx))

	path := "/crl/root/p" + big.NewInt(int64(k)).String()
	part := save(t, p.dir, "part.pem", fetch(t, srv.URL+path+".pem", crl.ContentTypePEM))
	out, err := verify(t, p, filepath.Join(p.dir, "member.pem"), nil, part)
	require.Error(t, err, out)
	assert.Contains(t, out, "certificate revoked")

	text := opensslCRLText(t, fetch(t, srv.URL+path+".crl", crl.ContentTypeDER))
	assert.Contains(t, text, "X509v3 Issuing Distribution Point: critical")
	assert.Contains(t, text, "Full Name:\n                  URI:"+domain.CRLPartitionURL(rootCRLURL, k))
	assert.Contains(t, text, "Only User Certificates")
	assert.Contains(t, text, "X509v3 CRL Number: \n                1", "partitions have their own number sequence")

	other := save(t, p.dir, "other.pem", fetch(t, srv.URL+"/crl/root/p"+big.NewInt(int64((k+1)%4)).String()+".pem", crl.ContentTypePEM))
	out, err = verify(t, p, filepath.Join(p.dir, "member.pem"), nil, other)
	require.Error(t, err, "another partition's IDP does not match the certificate's distribution point: %s", out)
	assert.NotContains(t, out, "certificate revoked")
}
