package signing_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"

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
	"github.com/certledger/certledger/projections/projectiontest"
	"github.com/certledger/certledger/projections/signing"
)

func TestMain(m *testing.M) { hsmtest.Main(m) }

// The read model is a projection.
var _ projections.Projection = (*signing.Projection)(nil)

var (
	secops  = commands.Caller{Actor: domain.Actor{Subject: "sec", Roles: []domain.Role{domain.RoleSecOps}}}
	secops2 = commands.Caller{Actor: domain.Actor{Subject: "sec2", Roles: []domain.Role{domain.RoleSecOps}}}
	admin   = commands.Caller{Actor: domain.Actor{Subject: "admin", Roles: []domain.Role{domain.RoleAdmin}}}
	web     = commands.Caller{Actor: domain.Actor{Subject: "dev", Roles: []domain.Role{domain.RoleDevOps}, Team: "web"}}
)

// TestPendingRequestsFromTheirEvents drives real signature requests through the command side
// (embedded store, SoftHSM) and reads the pending list: a request leaves it once signed or
// refused, an approval shows, a key that signs at once never appears, the filters by key and
// team hold, and a rebuild leaves the very same rows.
func TestPendingRequestsFromTheirEvents(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewDatabase(t)
	require.NoError(t, migrations.Migrate(ctx, pool))
	store := eventstore.New(storetest.Client(t, storetest.Start(t)))
	app, err := commands.NewApplication(store, hsm.KeyStore{HSM: hsmtest.Open(t)}, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(t, err)
	runner := projectiontest.Start(t, pool, store, []projections.Projection{signing.New()})
	q := signing.NewQueries(pool)

	ca := uuid.New()
	_, err = app.CreateCA.Handle(ctx, commands.CreateCA{CommandID: uuid.New(), CAID: ca, Name: "Root", CommonName: "Signing Root",
		KeyType: domain.KeyECDSAP256, ValidityDays: 365}, secops)
	require.NoError(t, err)
	newKey := func(approvals int) uuid.UUID {
		id := uuid.New()
		_, err := app.CreateSigningKey.Handle(ctx, commands.CreateSigningKey{CommandID: uuid.New(), KeyID: id, CAID: ca, Name: "release",
			Team: "web", Usage: domain.UsageCode, KeyType: domain.KeyECDSAP256, CommonName: "Web release", ValidityDays: 30,
			Policy: domain.SigningPolicy{Approvals: approvals}}, secops)
		require.NoError(t, err)
		return id
	}
	release, atOnce := newKey(2), newKey(0)
	request := func(key uuid.UUID, by commands.Caller, artifact string) uuid.UUID {
		id := uuid.New()
		d := sha256.Sum256([]byte(artifact))
		_, err := app.SignDigest.Handle(ctx, commands.SignDigest{CommandID: uuid.New(), RequestID: id, KeyID: key, Digest: d[:],
			DigestAlgorithm: "sha256", Artifact: artifact}, by)
		require.NoError(t, err)
		return id
	}
	first, second, byAdmin := request(release, web, "a.bin"), request(release, web, "b.bin"), request(release, admin, "c.bin")
	request(atOnce, web, "signed-at-once.bin")
	approve := func(id uuid.UUID, by commands.Caller) {
		_, err := app.ApproveSignature.Handle(ctx, commands.ApproveSignature{CommandID: uuid.New(), RequestID: id}, by)
		require.NoError(t, err)
	}
	approve(first, secops)
	approve(second, secops)
	approve(second, secops2) // signed
	_, err = app.RefuseSignature.Handle(ctx, commands.RefuseSignature{CommandID: uuid.New(), RequestID: byAdmin, Reason: "no"}, secops2)
	require.NoError(t, err)
	third := request(release, admin, "d.bin")
	projectiontest.WaitLive(t, runner, store)

	ids := func(f signing.PendingFilter) []uuid.UUID {
		rows, err := q.Pending(ctx, f)
		require.NoError(t, err)
		var out []uuid.UUID
		for _, r := range rows {
			out = append(out, r.ID)
		}
		return out
	}
	assert.Equal(t, []uuid.UUID{first, third}, ids(signing.PendingFilter{AllTeams: true}), "oldest first")
	assert.Equal(t, []uuid.UUID{first, third}, ids(signing.PendingFilter{KeyID: release, AllTeams: true}))
	assert.Empty(t, ids(signing.PendingFilter{KeyID: atOnce, AllTeams: true}))
	assert.Equal(t, []uuid.UUID{first, third}, ids(signing.PendingFilter{Team: "web"}), "web's own, and the ADMIN's of no team")
	assert.Equal(t, []uuid.UUID{third}, ids(signing.PendingFilter{Team: "search"}), "only the request of no team")

	rows, err := q.Pending(ctx, signing.PendingFilter{KeyID: release, Team: "web"})
	require.NoError(t, err)
	d := sha256.Sum256([]byte("a.bin"))
	got := rows[0]
	assert.Equal(t, signing.RequestRow{ID: first, KeyID: release, Team: "web", Kind: "cms", Artifact: "a.bin", DigestAlgorithm: "sha256",
		Digest: hex.EncodeToString(d[:]), RequestedBy: "dev", RequestedAt: got.RequestedAt, ApprovalsRequired: 2,
		Approvers: []string{"sec"}, Status: "pending_approval", Position: got.Position}, got)

	dump := func() []string {
		var out []string
		require.NoError(t, pool.QueryRow(ctx, "SELECT coalesce(array_agg(r::text ORDER BY id), '{}') FROM rm_signing.signature_requests r").Scan(&out))
		return out
	}
	live := dump()
	require.Len(t, live, 5, "every request has a row, whatever became of it")
	require.NoError(t, runner.Rebuild(ctx, signing.Name, nil))
	assert.Equal(t, live, dump(), "a rebuild leaves the same rows")
}
