package discovery_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
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

// opensslChain makes a partner's PKI with openssl: a root, an intermediate under it and a
// leaf for name under that; it returns the PEM of the root and the DER of leaf and
// intermediate.
func opensslChain(t *testing.T, name string) (rootPEM []byte, leaf, inter []byte) {
	t.Helper()
	dir := t.TempDir()
	script := `set -e
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key -out root.pem -days 3650 \
	-subj "/O=Partner/CN=Partner Root CA" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout inter.key -out inter.csr -subj "/O=Partner/CN=Partner Issuing CA"
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' > inter.ext
openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key -CAcreateserial -days 1825 -extfile inter.ext -out inter.pem
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leaf.csr -subj "/CN=` + name + `"
printf 'subjectAltName=DNS:` + name + `\nextendedKeyUsage=serverAuth\n' > leaf.ext
openssl x509 -req -in leaf.csr -CA inter.pem -CAkey inter.key -CAcreateserial -days 90 -extfile leaf.ext -out leaf.pem
`
	cmd := exec.Command("bash", "-c", script)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	der := func(file string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, file))
		require.NoError(t, err)
		block, _ := pem.Decode(b)
		require.NotNil(t, block, file)
		return block.Bytes
	}
	rootPEM, err = os.ReadFile(filepath.Join(dir, "root.pem"))
	require.NoError(t, err)
	return rootPEM, der("leaf.pem"), der("inter.pem")
}

// TestKnownExternalAndAdoptedCertificates scans a certificate of a configured external CA
// (served with its intermediate) and a self-signed one: the first is known_external, the
// second shadow until a SEC_OPS user adopts it, then managed.
func TestKnownExternalAndAdoptedCertificates(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewDatabase(t)
	require.NoError(t, migrations.Migrate(ctx, pool))
	store := eventstore.New(storetest.Client(t, storetest.Start(t)))
	app, err := commands.NewApplication(store, hsm.KeyStore{HSM: hsmtest.Open(t)}, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(t, err)
	inventory, err := pki.New()
	require.NoError(t, err)
	runner := projectiontest.Start(t, pool, store, []projections.Projection{inventory, discovery.New()})
	rootPEM, partner, inter := opensslChain(t, "partner.example.com")
	shadow := selfSigned(t, "legacy.example.com", 2048, x509.SHA256WithRSA)
	now := time.Now()
	_, err = app.Discover.Handle(ctx, commands.DiscoverCertificates{CommandID: uuid.New(), Scan: domain.Scan{ScanID: uuid.New(),
		Scope: "dmz", Source: "test", StartedAt: now.Add(-time.Second), FinishedAt: now, Sightings: []domain.Sighting{
			{Location: domain.Location{Kind: domain.LocationNetwork, Address: "10.0.0.1:443", ServerName: "partner.example.com"},
				Outcome: "ok", Chain: [][]byte{partner, inter}},
			{Location: domain.Location{Kind: domain.LocationNetwork, Address: "10.0.0.2:443"}, Outcome: "ok", Chain: [][]byte{shadow}},
		}}}, secops)
	require.NoError(t, err)
	projectiontest.WaitLive(t, runner, store)

	external, err := discovery.ParseExternalCAs(rootPEM)
	require.NoError(t, err)
	q := discovery.NewQueries(pool).WithExternalCAs(external)
	classes := func(q *discovery.Queries, f discovery.Filter) map[string]string {
		t.Helper()
		rows, _, err := q.ListCertificates(ctx, f, now, "", 10)
		require.NoError(t, err)
		out := map[string]string{}
		for _, r := range rows {
			out[r.Fingerprint] = r.Classification
		}
		return out
	}
	pfp, sfp := domain.Fingerprint(partner), domain.Fingerprint(shadow)
	assert.Equal(t, map[string]string{pfp: discovery.KnownExternal, sfp: discovery.Shadow}, classes(q, discovery.Filter{}))
	assert.Equal(t, map[string]string{pfp: discovery.KnownExternal}, classes(q, discovery.Filter{Classification: discovery.KnownExternal}))
	assert.Equal(t, map[string]string{sfp: discovery.Shadow}, classes(q, discovery.Filter{Classification: discovery.Shadow}))
	assert.Equal(t, map[string]string{pfp: discovery.Shadow, sfp: discovery.Shadow}, classes(discovery.NewQueries(pool), discovery.Filter{}),
		"without external CAs configured, both are shadow")
	rows, _, err := q.ListCertificates(ctx, discovery.Filter{Classification: discovery.KnownExternal}, now, "", 10)
	require.NoError(t, err)
	assert.Equal(t, "CN=Partner Root CA,O=Partner", rows[0].KnownExternalCA)
	// A page of one still finds the second shadow-or-external row beyond the first.
	one, _, err := q.ListCertificates(ctx, discovery.Filter{Classification: discovery.Shadow}, now, "", 1)
	require.NoError(t, err)
	require.Len(t, one, 1)
	assert.Equal(t, sfp, one[0].Fingerprint)

	_, err = app.DefineProfile.Handle(ctx, commands.DefineProfile{CommandID: uuid.New(), Spec: domain.ProfileSpec{Name: "legacy",
		Team: "web", AllowedDomains: []string{"example.com"}, KeyTypes: []domain.KeyType{domain.KeyRSA2048}, MaxValidityDays: 90,
		KeyUsages: []string{"digitalSignature"}, ExtKeyUsages: []string{"serverAuth"}}}, secops)
	require.NoError(t, err)
	devops := commands.Caller{Actor: domain.Actor{Subject: "dev", Roles: []domain.Role{domain.RoleDevOps}, Team: "web"}}
	adopt := commands.AdoptCertificate{CommandID: uuid.New(), Fingerprint: sfp, Team: "web", Owner: "ops@example.com", Profile: "legacy"}
	_, err = app.AdoptCertificate.Handle(ctx, adopt, devops)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "DEVOPS does not adopt: %v", err)
	_, err = app.AdoptCertificate.Handle(ctx, adopt, secops)
	require.NoError(t, err)
	again := adopt
	again.CommandID = uuid.New()
	_, err = app.AdoptCertificate.Handle(ctx, again, secops)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "adopted once: %v", err)
	unknown := adopt
	unknown.CommandID, unknown.Fingerprint = uuid.New(), domain.Fingerprint([]byte("never seen"))
	_, err = app.AdoptCertificate.Handle(ctx, unknown, secops)
	assert.True(t, domain.IsKind(err, domain.KindNotFound), "%v", err)
	projectiontest.WaitLive(t, runner, store)

	assert.Equal(t, map[string]string{sfp: discovery.Managed}, classes(q, discovery.Filter{Classification: discovery.Managed}))
	rows, _, err = q.ListCertificates(ctx, discovery.Filter{Classification: discovery.Managed}, now, "", 10)
	require.NoError(t, err)
	require.NotNil(t, rows[0].Adoption)
	assert.Equal(t, discovery.Adoption{Team: "web", Owner: "ops@example.com", Profile: "legacy", AdoptedAt: rows[0].Adoption.AdoptedAt},
		*rows[0].Adoption)
	assert.Empty(t, classes(q, discovery.Filter{Classification: discovery.Shadow}))
}

func TestExternalCABundlesAreChecked(t *testing.T) {
	for name, bundle := range map[string]string{
		"empty":           "",
		"not PEM":         "hello",
		"a key, no cert":  "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
		"garbage in cert": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
		"a leaf, no CA": string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE",
			Bytes: selfSigned(t, "leaf.example.com", 2048, x509.SHA256WithRSA)})),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := discovery.ParseExternalCAs([]byte(bundle))
			assert.Error(t, err)
		})
	}
}
