package client_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/tests/clienttest"
	"github.com/certledger/certledger/tests/testutil"
)

func TestMain(m *testing.M) { hsmtest.Main(m) }

// webProfile is a TLS server profile for names under example.com.
func webProfile(name string, approval bool) client.ProfileSpec {
	return client.ProfileSpec{Name: name, AllowedDomains: []string{"example.com"},
		KeyTypes: []domain.KeyType{domain.KeyECDSAP256}, MaxValidityDays: 90, RequiresApproval: approval}
}

// setup starts a ledger with a root CA and the "web" profile, and returns an ADMIN client.
func setup(t *testing.T) (*clienttest.Ledger, *client.Client, client.CA) {
	t.Helper()
	l := clienttest.Start(t)
	c := client.New(l.URL, clienttest.AdminToken)
	ca, err := c.CreateCA(t.Context(), client.NewCA{Name: "Root", CommonName: "Client Test Root", KeyAlgorithm: "ecdsa-p256"})
	require.NoError(t, err)
	_, err = c.DefineProfile(t.Context(), webProfile("web", false))
	require.NoError(t, err)
	return l, c, ca
}

func TestIssueDownloadRevokeAndHistory(t *testing.T) {
	_, c, ca := setup(t)
	ctx := t.Context()
	assert.Equal(t, "Client Test Root", ca.CommonName)
	assert.Equal(t, "active", ca.Status)
	assert.Contains(t, ca.Certificate, "BEGIN CERTIFICATE")

	cert, err := c.RequestCertificate(ctx, client.CertificateRequest{CAID: ca.ID, Profile: "web",
		CSR: string(testutil.CSR(t, "www.example.com")), Team: "web", Owner: "alice", ValidityDays: 30})
	require.NoError(t, err)
	assert.Equal(t, "issued", cert.Status)
	assert.NotEmpty(t, cert.Serial)
	assert.Equal(t, []string{"www.example.com"}, cert.DNSNames)

	shown, err := c.GetCertificate(ctx, cert.ID)
	require.NoError(t, err)
	assert.Equal(t, cert.Serial, shown.Serial)
	assert.Equal(t, "alice", shown.Owner)

	pemBytes, err := c.DownloadCertificate(ctx, cert.ID, "pem")
	require.NoError(t, err)
	leaf := parsePEM(t, pemBytes)[0]
	assert.Equal(t, "www.example.com", leaf.Subject.CommonName)
	der, err := c.DownloadCertificate(ctx, cert.ID, "der")
	require.NoError(t, err)
	fromDER, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	assert.Equal(t, leaf.Raw, fromDER.Raw)
	chain := parsePEM(t, must(t)(c.DownloadCertificate(ctx, cert.ID, "chain")))
	require.Len(t, chain, 2, "the certificate, then the root")
	require.NoError(t, chain[0].CheckSignatureFrom(chain[1]))
	caPEM := parsePEM(t, must(t)(c.CACertificate(ctx, ca.ID, "")))
	assert.Equal(t, chain[1].Raw, caPEM[0].Raw)
	anonymous := client.New(c.BaseURL(), "") // CA downloads are public
	assert.Equal(t, chain[1].Raw, parsePEM(t, must(t)(anonymous.CAChain(ctx, ca.ID)))[0].Raw)

	compromised := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	revoked, err := c.Revoke(ctx, cert.ID, "keyCompromise", &compromised, client.IfMatch(shown.Revision))
	require.NoError(t, err)
	assert.Equal(t, "revoked", revoked.Status)
	assert.Equal(t, shown.Revision+1, revoked.Revision)

	h, err := c.CertificateHistory(ctx, cert.ID)
	require.NoError(t, err)
	assert.Equal(t, "certificate-"+cert.ID, h.Stream)
	var types []string
	for i, e := range h.Events {
		types = append(types, e.Type)
		assert.Equal(t, "admin", e.Actor.Subject)
		assert.Contains(t, e.Actor.UserAgent, "ledgerctl/", "the client's User-Agent is recorded")
		assert.Len(t, e.Hash, 64)
		if i > 0 {
			assert.Equal(t, h.Events[i-1].Hash, e.PrevHash, "each event chains to the one before")
		}
	}
	assert.Equal(t, []string{"CertificateRequested", "CertificateApproved", "SigningStarted", "CertificateIssued", "CertificateRevoked"}, types,
		"the serial is announced before the CA key signs it")

	caHistory, err := c.CAHistory(ctx, ca.ID)
	require.NoError(t, err)
	require.Greater(t, len(caHistory.Events), 1)
	assert.Equal(t, "SigningStarted", caHistory.Events[0].Type, "the root's self-signature is announced first")
	assert.Equal(t, "CARootCreated", caHistory.Events[1].Type)
}

func TestApprovalRenewalAndCARevocation(t *testing.T) {
	l, admin, ca := setup(t)
	ctx := t.Context()
	dev := client.New(l.URL, clienttest.DevOpsToken)
	_, err := admin.DefineProfile(ctx, webProfile("reviewed", true))
	require.NoError(t, err)

	pending, err := dev.RequestCertificate(ctx, client.CertificateRequest{CAID: ca.ID, Profile: "reviewed",
		CSR: string(testutil.CSR(t, "api.example.com")), Team: "web"})
	require.NoError(t, err)
	assert.Equal(t, "pending_approval", pending.Status)
	approved, err := admin.Approve(ctx, pending.ID, "checked", client.IfMatch(pending.Revision))
	require.NoError(t, err)
	assert.Equal(t, "issued", approved.Status, "approval issues it")

	other, err := dev.RequestCertificate(ctx, client.CertificateRequest{CAID: ca.ID, Profile: "reviewed",
		CSR: string(testutil.CSR(t, "old.example.com")), Team: "web"})
	require.NoError(t, err)
	rejected, err := admin.Reject(ctx, other.ID, "not needed")
	require.NoError(t, err)
	assert.Equal(t, "rejected", rejected.Status)
	_, err = admin.Issue(ctx, other.ID)
	assert.Equal(t, 409, statusOf(t, err), "a rejected request is not issued")

	renewed, err := dev.Renew(ctx, approved.ID, testutil.CSR(t, "api.example.com"), 30)
	require.NoError(t, err)
	assert.NotEqual(t, approved.ID, renewed.ID)
	assert.Equal(t, "pending_approval", renewed.Status, "the renewal waits for approval too")
	_, err = admin.Approve(ctx, renewed.ID, "renewal checked")
	require.NoError(t, err)
	old, err := dev.GetCertificate(ctx, approved.ID)
	require.NoError(t, err)
	assert.Equal(t, "superseded", old.Status)

	inter, err := admin.CreateCA(ctx, client.NewCA{Name: "Issuing", CommonName: "Client Test Issuing",
		KeyAlgorithm: "ecdsa-p256", ParentID: ca.ID, CRLPartitions: 4})
	require.NoError(t, err)
	assert.Equal(t, ca.ID, inter.ParentID)
	assert.Equal(t, 4, inter.CRLPartitions)
	chain := parsePEM(t, must(t)(admin.CAChain(ctx, inter.ID)))
	require.Len(t, chain, 2)
	revokedCA, err := admin.RevokeCA(ctx, inter.ID, client.Revocation{Reason: "cACompromise"}, client.IfMatch(inter.Revision))
	require.NoError(t, err)
	assert.Equal(t, "revoked", revokedCA.Status)
}

func TestIdempotencyKeyRunsTheCommandOnce(t *testing.T) {
	_, c, ca := setup(t)
	req := client.CertificateRequest{CAID: ca.ID, Profile: "web", CSR: string(testutil.CSR(t, "once.example.com")), Team: "web"}
	first, err := c.RequestCertificate(t.Context(), req, client.IdempotencyKey("order-1"))
	require.NoError(t, err)
	retry, err := c.RequestCertificate(t.Context(), req, client.IdempotencyKey("order-1"))
	require.NoError(t, err)
	assert.Equal(t, first.ID, retry.ID)
	assert.Equal(t, first.Serial, retry.Serial)
}

func TestMeAndCapture(t *testing.T) {
	l := clienttest.Start(t)
	var raw client.Response
	me, err := client.New(l.URL, clienttest.DevOpsToken).Me(context.Background(), client.Capture(&raw))
	require.NoError(t, err)
	assert.Equal(t, client.Identity{Subject: "dev", Roles: []string{"DEVOPS"}, Team: "web"}, me)
	assert.Equal(t, 200, raw.Status)
	assert.JSONEq(t, `{"subject":"dev","roles":["DEVOPS"],"team":"web"}`, string(raw.Body))
}

func parsePEM(t *testing.T, data []byte) []*x509.Certificate {
	t.Helper()
	var out []*x509.Certificate
	for block, rest := pem.Decode(data); block != nil; block, rest = pem.Decode(rest) {
		c, err := x509.ParseCertificate(block.Bytes)
		require.NoError(t, err)
		out = append(out, c)
	}
	require.NotEmpty(t, out, "PEM certificates in %q", data)
	return out
}

// must fails the test on a download's error, else returns what it downloaded.
func must(t *testing.T) func([]byte, error) []byte {
	return func(b []byte, err error) []byte {
		t.Helper()
		require.NoError(t, err)
		return b
	}
}
