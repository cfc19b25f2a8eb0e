package main

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/tests/testutil"
)

// pkiLedger is an embedded store with a root CA, an intermediate CA under it that issued two
// certificates, then (after noted) revoked one and was revoked itself; and an empty database.
type pkiLedger struct {
	storeURL, dbURL string
	root, inter     uuid.UUID
	noted           time.Time
}

func newPKILedger(t *testing.T) pkiLedger {
	t.Helper()
	ctx := context.Background()
	srv := storetest.Start(t)
	store := eventstore.New(storetest.Client(t, srv))
	h, err := commands.NewApplication(store, hsm.KeyStore{HSM: hsmtest.Open(t)}, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(t, err)
	secops := commands.Caller{Actor: domain.Actor{Subject: "sec@example.com", Roles: []domain.Role{domain.RoleSecOps}}}
	devops := commands.Caller{Actor: domain.Actor{Subject: "dev@example.com", Roles: []domain.Role{domain.RoleDevOps}, Team: "web"}}
	l := pkiLedger{storeURL: srv.URL(), dbURL: pgtest.NewDatabaseURL(t), root: uuid.New(), inter: uuid.New()}
	for _, ca := range []commands.CreateCA{
		{CommandID: uuid.New(), CAID: l.root, Name: "Root", CommonName: "CLI Root", KeyType: domain.KeyECDSAP256, ValidityDays: 3650, PathLen: 1},
		{CommandID: uuid.New(), CAID: l.inter, Name: "Issuing", CommonName: "CLI Issuing", KeyType: domain.KeyECDSAP256,
			ParentID: l.root, ValidityDays: 1825},
	} {
		_, err := h.CreateCA.Handle(ctx, ca, secops)
		require.NoError(t, err)
	}
	_, err = h.DefineProfile.Handle(ctx, commands.DefineProfile{CommandID: uuid.New(), Spec: domain.ProfileSpec{Name: "web", Team: "web",
		AllowedDomains: []string{"example.com"}, KeyTypes: []domain.KeyType{domain.KeyECDSAP256}, MaxValidityDays: 90,
		KeyUsages: []string{"digitalSignature"}, ExtKeyUsages: []string{"serverAuth"}}}, secops)
	require.NoError(t, err)
	var certs []uuid.UUID
	for _, name := range []string{"www.example.com", "api.example.com"} {
		id := uuid.New()
		_, err := h.RequestCertificate.Handle(ctx, commands.RequestCertificate{CommandID: uuid.New(), CertificateID: id,
			CAID: l.inter.String(), Profile: "web", CSRPEM: testutil.CSR(t, name), Team: "web", Owner: "dev", ValidityDays: 30}, devops)
		require.NoError(t, err)
		certs = append(certs, id)
	}
	time.Sleep(10 * time.Millisecond)
	l.noted = time.Now()
	time.Sleep(10 * time.Millisecond)
	_, err = h.Revoke.Handle(ctx, commands.Decision{CommandID: uuid.New(), CertificateID: certs[1], Reason: "superseded"}, devops)
	require.NoError(t, err)
	_, err = h.RevokeCA.Handle(ctx, commands.RevokeCA{CommandID: uuid.New(), CAID: l.inter, Reason: "cessationOfOperation"}, secops)
	require.NoError(t, err)
	return l
}

// query returns the single value of a query of the ledger's database.
func (l pkiLedger) query(t *testing.T, sql string) string {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), l.dbURL)
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	var out string
	require.NoError(t, conn.QueryRow(context.Background(), sql).Scan(&out), sql)
	return out
}

func TestAuditReplayWritesTheLedgerAsItWasIntoASchema(t *testing.T) {
	l := newPKILedger(t)
	replay := func(args ...string) (int, string, string) {
		return runCtl(t, append([]string{"audit", "replay", "--eventstore-url", l.storeURL, "--database-url", l.dbURL}, args...)...)
	}
	asOf := l.noted.UTC().Format(time.RFC3339Nano)
	code, out, errOut := replay("--as-of", asOf, "--schema", "asof_cli")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, errOut, "100%", "the progress bar ends complete")
	assert.Contains(t, errOut, "events/s")
	assert.Regexp(t, `As of:\s+`+asOf, out)
	assert.Regexp(t, `As-of position:\s+\d+`, out)
	assert.Contains(t, out, "asof_cli.cas, asof_cli.certificates, asof_cli.expiry_warnings, asof_cli.profiles, asof_cli.renewals, asof_cli.revocations")
	assert.Contains(t, out, "asof_cli.api_tokens")
	assert.Contains(t, out, "asof_cli.replay_info")
	assert.Contains(t, out, `psql "$DATABASE_URL" -c 'SELECT status, count(*) FROM asof_cli.certificates GROUP BY status'`)
	assert.Equal(t, "issued:2", l.query(t, "SELECT string_agg(status || ':' || n, ',') FROM (SELECT status, count(*) n FROM asof_cli.certificates GROUP BY status) s"))
	assert.Equal(t, "0", l.query(t, "SELECT count(*)::text FROM asof_cli.revocations"))
	assert.Equal(t, "active", l.query(t, fmt.Sprintf("SELECT status FROM asof_cli.cas WHERE id = '%s'", l.inter)))
	assert.Equal(t, "access,pki", l.query(t, "SELECT string_agg(projection, ',' ORDER BY projection) FROM asof_cli.replay_info WHERE projection IN ('pki', 'access')"))
	assert.Equal(t, "0", l.query(t, "SELECT count(*)::text FROM pg_namespace WHERE nspname LIKE 'rm\\_%'"), "no live read model was made")

	// The schema exists: refused, then replaced when asked, here by position for pki alone.
	code, _, errOut = replay("--as-of", "1", "--schema", "asof_cli", "pki")
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, errOut, "the schema exists")
	code, out, errOut = replay("pki", "--as-of", "999999", "--schema", "asof_cli", "--replace")
	require.Equal(t, exitOK, code, errOut)
	assert.NotContains(t, out, "api_tokens")
	assert.Equal(t, "issued:1,revoked:1", l.query(t, "SELECT string_agg(status || ':' || n, ',' ORDER BY status) FROM (SELECT status, count(*) n FROM asof_cli.certificates GROUP BY status) s"))
	assert.Equal(t, "2", l.query(t, "SELECT count(*)::text FROM asof_cli.revocations"), "the certificate and the intermediate")

	for _, bad := range [][]string{
		{"--schema", "asof_x"},                         // no --as-of
		{"--as-of", "yesterday", "--schema", "asof_x"}, // not a time
		{"--as-of", "1", "--schema", "rm_pki"},         // a live read model
		{"--as-of", "1", "--schema", "Asof"},           // not a lowercase identifier
		{"--as-of", "1", "--schema", "asof_x", "nope"}, // no such read model
	} {
		code, _, errOut := replay(bad...)
		assert.Equal(t, exitFailure, code, "%v: %s", bad, errOut)
		assert.NotEmpty(t, errOut)
	}
}

func TestAuditKeyUsageListsWhatTheCAKeySigned(t *testing.T) {
	l := newPKILedger(t)
	code, out, errOut := runCtl(t, "audit", "key-usage", l.inter.String(), "--eventstore-url", l.storeURL)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "HSM key ca-"+l.inter.String())
	assert.Regexp(t, `CAIntermediateCreated\s+key generated; CA certificate signed by parent CA `+l.root.String()+`\s+CLI Issuing`, out)
	assert.Regexp(t, `dev@example.com\s+certificate-\S+@\d+\s+CertificateIssued\s+signed a certificate\s+www.example.com\s+[0-9a-f]+`, out)
	assert.Regexp(t, `CertificateIssued\s+signed a certificate\s+api.example.com`, out)
	assert.Contains(t, out, "CAResponderCertified")
	assert.Regexp(t, `sec@example.com\s+ca-\S+@\d+\s+CARevoked\s+CA revoked \(cessationOfOperation\)`, out)
	assert.Contains(t, out, "not recorded as events")

	// By the root's key label, as JSON: the root signed itself, the intermediate and a responder.
	code, out, errOut = runCtl(t, "audit", "key-usage", "-o", "json", "ca-"+l.root.String(), "--eventstore-url", l.storeURL)
	require.Equal(t, exitOK, code, errOut)
	var got keyUsage
	require.NoError(t, json.Unmarshal([]byte(out), &got), out)
	assert.Equal(t, l.root.String(), got.CAID)
	var types []string
	for _, u := range got.Uses {
		types = append(types, u.Type)
		assert.NotZero(t, u.Position)
		assert.NotEmpty(t, u.Actor)
	}
	assert.Equal(t, []string{"CARootCreated", "CAResponderCertified", "CAIntermediateCreated"}, types)
	assert.Equal(t, "signed the certificate of intermediate CA "+l.inter.String(), got.Uses[2].Use)
	assert.Contains(t, got.NotRecorded, "OCSP")

	code, _, errOut = runCtl(t, "audit", "key-usage", uuid.NewString(), "--eventstore-url", l.storeURL)
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, errOut, "no CA with id or HSM key label")
	code, _, _ = runCtl(t, "audit", "key-usage", "--eventstore-url", l.storeURL)
	assert.Equal(t, exitFailure, code)
}
