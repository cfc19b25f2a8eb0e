package discovery_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/infra/migrations"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/discovery"
	"github.com/certledger/certledger/projections/pki"
	"github.com/certledger/certledger/projections/projectiontest"
)

func TestMain(m *testing.M) { hsmtest.Main(m) }

// The read model is a projection that writes batches.
var _ projections.BatchProjection = (*discovery.Projection)(nil)

var secops = commands.Caller{Actor: domain.Actor{Subject: "sec@example.com", Roles: []domain.Role{domain.RoleSecOps}}}

// issued asks a fresh CA of the ledger for a certificate for name and returns its id and DER.
func issued(t *testing.T, app *commands.Application, q *pki.Queries, runner *projections.Runner, store *eventstore.Store, name string) (uuid.UUID, []byte) {
	t.Helper()
	ctx := context.Background()
	ca := uuid.New()
	_, err := app.CreateCA.Handle(ctx, commands.CreateCA{CommandID: uuid.New(), CAID: ca, Name: "Disc", CommonName: "Disc CA",
		KeyType: domain.KeyECDSAP256, ValidityDays: 365}, secops)
	require.NoError(t, err)
	_, err = app.DefineProfile.Handle(ctx, commands.DefineProfile{CommandID: uuid.New(), Spec: domain.ProfileSpec{Name: "web",
		AllowedDomains: []string{"example.com"}, KeyTypes: []domain.KeyType{domain.KeyECDSAP256}, MaxValidityDays: 90,
		KeyUsages: []string{"digitalSignature"}, ExtKeyUsages: []string{"serverAuth"}}}, secops)
	require.NoError(t, err)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: name}, DNSNames: []string{name}}, key)
	require.NoError(t, err)
	id := uuid.New()
	_, err = app.RequestCertificate.Handle(ctx, commands.RequestCertificate{CommandID: uuid.New(), CertificateID: id, CAID: ca.String(),
		Profile: "web", CSRPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: csr}), Team: "web", ValidityDays: 30}, secops)
	require.NoError(t, err)
	projectiontest.WaitLive(t, runner, store)
	row, err := q.Certificate(ctx, id)
	require.NoError(t, err)
	block, _ := pem.Decode([]byte(row.PEM))
	return id, block.Bytes
}

// selfSigned is a certificate nobody the ledger knows issued.
func selfSigned(t *testing.T, name string, bits int, alg x509.SignatureAlgorithm) []byte {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, bits)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(9), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(5 * 24 * time.Hour), SignatureAlgorithm: alg}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	return der
}

func TestScansAreClassifiedAgainstTheInventory(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewDatabase(t)
	require.NoError(t, migrations.Migrate(ctx, pool))
	store := eventstore.New(storetest.Client(t, storetest.Start(t)))
	app, err := commands.NewApplication(store, hsm.KeyStore{HSM: hsmtest.Open(t)}, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(t, err)
	inventory, err := pki.New()
	require.NoError(t, err)
	runner := projectiontest.Start(t, pool, store, []projections.Projection{inventory, discovery.New()})
	managedID, managed := issued(t, app, pki.NewQueries(pool), runner, store, "www.example.com")
	shadow := selfSigned(t, "legacy.example.com", 1024, x509.SHA1WithRSA)

	net := func(addr, name string) domain.Location {
		return domain.Location{Kind: domain.LocationNetwork, Address: addr, ServerName: name}
	}
	now := time.Now()
	_, err = app.Discover.Handle(ctx, commands.DiscoverCertificates{CommandID: uuid.New(), Scan: domain.Scan{ScanID: uuid.New(),
		Scope: "dmz", Source: "test", StartedAt: now.Add(-time.Second), FinishedAt: now, Sightings: []domain.Sighting{
			{Location: net("10.0.0.1:443", "www.example.com"), Outcome: "ok", Chain: [][]byte{managed}},
			{Location: net("10.0.0.2:443", "api.example.com"), Outcome: "ok", Chain: [][]byte{shadow}},
			{Location: net("10.0.0.3:443", ""), Outcome: "refused"},
		}}}, secops)
	require.NoError(t, err)
	projectiontest.WaitLive(t, runner, store)

	q := discovery.NewQueries(pool)
	all, next, err := q.ListCertificates(ctx, discovery.Filter{}, now, "", 10)
	require.NoError(t, err)
	assert.Empty(t, next)
	require.Len(t, all, 2)
	byFP := map[string]discovery.CertificateRow{all[0].Fingerprint: all[0], all[1].Fingerprint: all[1]}
	m, s := byFP[domain.Fingerprint(managed)], byFP[domain.Fingerprint(shadow)]
	assert.Equal(t, discovery.Managed, m.Classification)
	assert.Equal(t, []string{domain.FindingChainIncomplete, domain.FindingExpiring}, m.Findings,
		"served for its name, but without its CA, and issued for 30 days")
	assert.Equal(t, discovery.Shadow, s.Classification)
	assert.Equal(t, []string{domain.FindingExpiring, domain.FindingHostnameMismatch, domain.FindingSelfSigned,
		domain.FindingSHA1Signature, domain.FindingWeakKey}, s.Findings)
	assert.Equal(t, 1, s.ServedAt)
	require.NotNil(t, s.LastSeen)
	assert.WithinDuration(t, now, *s.LastSeen, time.Millisecond)

	for filter, want := range map[discovery.Filter][]string{
		{Classification: discovery.Shadow}:                {s.Fingerprint},
		{Classification: discovery.Managed}:               {m.Fingerprint},
		{Finding: domain.FindingWeakKey}:                  {s.Fingerprint},
		{Finding: domain.FindingHostnameMismatch}:         {s.Fingerprint},
		{Finding: domain.FindingExpired}:                  nil,
		{Scope: "dmz", Classification: discovery.Managed}: {m.Fingerprint},
		{Scope: "elsewhere"}:                              nil,
	} {
		rows, _, err := q.ListCertificates(ctx, filter, now, "", 10)
		require.NoError(t, err)
		var got []string
		for _, r := range rows {
			got = append(got, r.Fingerprint)
		}
		assert.Equal(t, want, got, "%+v", filter)
	}
	_, _, err = q.ListCertificates(ctx, discovery.Filter{Finding: "ugly"}, now, "", 10)
	assert.ErrorIs(t, err, discovery.ErrBadFilter)

	// The ledger revokes its certificate; the endpoint still serves it.
	_, err = app.Revoke.Handle(ctx, commands.Decision{CommandID: uuid.New(), CertificateID: managedID, Reason: "keyCompromise"}, secops)
	require.NoError(t, err)
	projectiontest.WaitLive(t, runner, store)
	rows, _, err := q.ListCertificates(ctx, discovery.Filter{Finding: domain.FindingRevokedServed}, now, "", 10)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, m.Fingerprint, rows[0].Fingerprint)
	assert.Contains(t, rows[0].Findings, domain.FindingRevokedServed)

	// Rebuilt from position 0 in batches, the read model holds the same rows.
	before, _, err := q.ListCertificates(ctx, discovery.Filter{}, now, "", 10)
	require.NoError(t, err)
	require.NoError(t, runner.Rebuild(ctx, discovery.Name, nil))
	after, _, err := q.ListCertificates(ctx, discovery.Filter{}, now, "", 10)
	require.NoError(t, err)
	assert.Equal(t, before, after)
}
