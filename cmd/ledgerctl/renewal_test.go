package main

import (
	"context"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections/projectiontest"
	"github.com/certledger/certledger/tests/clienttest"
	"github.com/certledger/certledger/tests/testutil"
)

// TestRenewalListShowsWhatTheSchedulerDid defines a profile that renews with the CSR on record
// at once (30 days before the end of a 30-day certificate), runs the scheduler's two commands
// as ledgerd does, and lists the renewal as renewed, in a table and in JSON.
func TestRenewalListShowsWhatTheSchedulerDid(t *testing.T) {
	l := clienttest.Start(t)
	admin := clienttest.AdminToken
	ca := jsonOf(t, l, admin, "ca", "create", "--name", "Root", "--cn", "CLI Root", "--key-algorithm", "ecdsa-p256")
	code, out, errOut := ctl(t, l, admin, "profile", "create", "--name", "auto", "--allowed-domain", "example.com",
		"--key-type", "ecdsa-p256", "--max-validity-days", "90", "--renewal-mode", "reuse_csr", "--renew-days-before", "30",
		"--revoke-superseded")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^Renewal:\s+reuse_csr, due after 0.667 of the lifetime or 30 days before the end, superseded revoked$`, out)
	cert := jsonOf(t, l, admin, "cert", "request", "--ca", ca["id"].(string), "--profile", "auto",
		"--csr", csrFile(t, "auto.example.com"), "--team", "web", "--validity-days", "30")
	id := uuid.MustParse(cert["id"].(string))

	ctx := context.Background()
	projectiontest.WaitLive(t, l.Runner, l.Store)
	_, err := l.App.DueRenewal.Handle(ctx, commands.DueRenewal{CertificateID: id})
	require.NoError(t, err)
	projectiontest.WaitLive(t, l.Runner, l.Store)
	code, out, errOut = ctl(t, l, admin, "renewal", "list", "--state", "due")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, id.String()+`\s+auto.example.com\s+web\s+reuse_csr\s+due`, out)
	_, err = l.App.AutoRenew.Handle(ctx, commands.AutoRenew{CertificateID: id})
	require.NoError(t, err)
	projectiontest.WaitLive(t, l.Runner, l.Store)

	code, out, errOut = ctl(t, l, admin, "renewal", "list", "-o", "json")
	require.Equal(t, exitOK, code, errOut)
	var page wire.RenewalList
	require.NoError(t, json.Unmarshal([]byte(out), &page), out)
	require.Len(t, page.Items, 1)
	r := page.Items[0]
	assert.Equal(t, "renewed", r.State)
	assert.Equal(t, commands.SuccessorID(id).String(), r.SuccessorID)
	assert.Equal(t, "revoked", r.Status, "revoked as superseded")
	code, out, errOut = ctl(t, l, admin, "cert", "show", id.String())
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^Renewal:\s+due since \S+ \(reuse_csr\), 0 failed attempts$`, out)
	assert.Regexp(t, `(?m)^Superseded by:\s+`+commands.SuccessorID(id).String()+`$`, out)
	code, _, errOut = ctl(t, l, admin, "renewal", "list", "--state", "sideways")
	assert.Equal(t, exitRefused, code)
	assert.Contains(t, errOut, "want due, failed or renewed")
}

// TestDiscoverAdoptMakesAShadowCertificateManaged records a scan that finds a self-signed
// certificate, adopts it with ledgerctl, and lists it managed with its adoption.
func TestDiscoverAdoptMakesAShadowCertificateManaged(t *testing.T) {
	l := clienttest.Start(t)
	admin := clienttest.AdminToken
	pkiSetup(t, l)
	key := testutil.ECKey(t)
	now := time.Now().UTC()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "old.example.com"},
		DNSNames: []string{"old.example.com"}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(60 * 24 * time.Hour)}
	found := testutil.Certificate(t, tmpl, tmpl, key.Public(), key)
	_, err := l.App.Discover.Handle(context.Background(), commands.DiscoverCertificates{CommandID: uuid.New(), Scan: domain.Scan{
		ScanID: uuid.New(), Scope: "lab", Source: "test", StartedAt: now.Add(-time.Second), FinishedAt: now,
		Sightings: []domain.Sighting{{Location: domain.Location{Kind: domain.LocationNetwork, Address: "127.0.0.1:8443"},
			Outcome: "ok", Chain: [][]byte{found.Raw}}}}}, commands.Caller{Actor: domain.Actor{Subject: "admin",
		Roles: []domain.Role{domain.RoleAdmin}}})
	require.NoError(t, err)
	projectiontest.WaitLive(t, l.Runner, l.Store)
	fp := domain.Fingerprint(found.Raw)

	code, _, errOut := ctl(t, l, clienttest.DevOpsToken, "discover", "adopt", fp, "--team", "web", "--profile", "web")
	assert.Equal(t, exitRefused, code, "DEVOPS may not adopt")
	assert.Contains(t, errOut, "403")
	code, out, errOut := ctl(t, l, admin, "discover", "adopt", fp, "--team", "web", "--owner", "ops@example.com", "--profile", "web")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^Team:\s+web$`, out)
	code, _, errOut = ctl(t, l, admin, "discover", "adopt", fp, "--team", "web", "--profile", "web")
	assert.Equal(t, exitRefused, code, "adopted once")
	assert.Contains(t, errOut, "adopted already")
	projectiontest.WaitLive(t, l.Runner, l.Store)

	code, out, errOut = ctl(t, l, admin, "discover", "list", "--classification", "managed", "-o", "json")
	require.Equal(t, exitOK, code, errOut)
	var page wire.DiscoveredList
	require.NoError(t, json.Unmarshal([]byte(out), &page), out)
	require.Len(t, page.Items, 1)
	require.NotNil(t, page.Items[0].Adoption)
	assert.Equal(t, "ops@example.com", page.Items[0].Adoption.Owner)
	code, out, _ = ctl(t, l, admin, "discover", "list")
	require.Equal(t, exitOK, code)
	assert.True(t, strings.Contains(out, "web (web)"), out)
}
