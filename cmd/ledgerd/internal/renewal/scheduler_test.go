package renewal_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/cmd/ledgerd/internal/renewal"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/infra/migrations"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/pki"
	"github.com/certledger/certledger/tests/testutil"
)

func TestMain(m *testing.M) { hsmtest.Main(m) }

var secops = commands.Caller{Actor: domain.Actor{Subject: "sec@example.com", Roles: []domain.Role{domain.RoleSecOps}}}

// world is a real embedded store, a migrated Postgres with the pki projection running, and
// command handlers on the test HSM. ledgerd is the handlers of one ledgerd process: a new one
// on the same store and read model is a restart.
type world struct {
	store  *eventstore.Store
	q      *pki.Queries
	keys   hsm.KeyStore
	runner *projections.Runner
}

func newWorld(t testing.TB) world {
	t.Helper()
	pool := pgtest.NewDatabase(t)
	require.NoError(t, migrations.Migrate(context.Background(), pool))
	store := eventstore.New(storetest.Client(t, storetest.Start(t)))
	p, err := pki.New()
	require.NoError(t, err)
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	r, err := projections.NewRunner(pool, store, []projections.Projection{p}, projections.WithLogger(logger),
		projections.WithRetryDelay(50*time.Millisecond))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() { cancel(); require.NoError(t, <-done) })
	return world{store: store, q: pki.NewQueries(pool), keys: hsm.KeyStore{HSM: hsmtest.Open(t)}, runner: r}
}

// ledgerd returns the handlers of a freshly started ledgerd.
func (w world) ledgerd(t testing.TB) *commands.Application {
	t.Helper()
	app, err := commands.NewApplication(w.store, w.keys, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(t, err)
	return app
}

// scheduler is the scheduler ledgerd runs on app.
func (w world) scheduler(app *commands.Application) renewal.Scheduler {
	return renewal.Scheduler{Read: w.q,
		Due: func(ctx context.Context, id uuid.UUID) error {
			_, err := app.DueRenewal.Handle(ctx, commands.DueRenewal{CertificateID: id})
			return err
		},
		Renew: func(ctx context.Context, a pki.RenewalAttempt) error {
			_, err := app.AutoRenew.Handle(ctx, commands.AutoRenew{CertificateID: a.CertificateID, Failures: a.Failures})
			return err
		}}
}

func (w world) waitLive(t testing.TB) {
	t.Helper()
	last, err := w.store.LastPosition(context.Background())
	require.NoError(t, err)
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		all, err := w.runner.Status(context.Background())
		require.NoError(c, err)
		assert.Equal(c, last, all[0].Position)
	}, time.Minute, 20*time.Millisecond)
}

// profile defines (or updates) the profile "web" with the renewal policy.
func profile(t testing.TB, app *commands.Application, policy domain.RenewalPolicy, update bool) {
	t.Helper()
	namedProfile(t, app, "web", policy, update)
}

// namedProfile defines (or updates) a profile with the renewal policy.
func namedProfile(t testing.TB, app *commands.Application, name string, policy domain.RenewalPolicy, update bool) {
	t.Helper()
	_, err := app.DefineProfile.Handle(context.Background(), commands.DefineProfile{CommandID: uuid.New(), Update: update,
		Spec: domain.ProfileSpec{Name: name, AllowedDomains: []string{"example.com"}, KeyTypes: []domain.KeyType{domain.KeyECDSAP256},
			MaxValidityDays: 90, KeyUsages: []string{"digitalSignature"}, ExtKeyUsages: []string{"serverAuth"}, Renewal: &policy}}, secops)
	require.NoError(t, err)
}

// issue issues n 30-day certificates of the profile "web" from one new root.
func issue(t testing.TB, app *commands.Application, n int) []uuid.UUID {
	t.Helper()
	return issueIn(t, app, "web", n)
}

// issueIn issues n 30-day certificates of a profile from one new root.
func issueIn(t testing.TB, app *commands.Application, profile string, n int) []uuid.UUID {
	t.Helper()
	ctx := context.Background()
	ca := uuid.New()
	_, err := app.CreateCA.Handle(ctx, commands.CreateCA{CommandID: uuid.New(), CAID: ca, Name: "Root " + ca.String()[:8],
		CommonName: "Root " + ca.String()[:8], KeyType: domain.KeyECDSAP256, ValidityDays: 3650, PathLen: 1}, secops)
	require.NoError(t, err)
	var ids []uuid.UUID
	for range n {
		id := uuid.New()
		_, err := app.RequestCertificate.Handle(ctx, commands.RequestCertificate{CommandID: uuid.New(), CertificateID: id,
			CAID: ca.String(), Profile: profile, CSRPEM: testutil.CSR(t, "www.example.com"), Team: "web", ValidityDays: 30}, secops)
		require.NoError(t, err)
		ids = append(ids, id)
	}
	return ids
}

// count returns how many events of the type a certificate's stream holds.
func (w world) count(t *testing.T, id uuid.UUID, eventType string) int {
	t.Helper()
	history, _, err := w.store.Load(context.Background(), events.StreamName(events.CategoryCertificate, id))
	require.NoError(t, err)
	n := 0
	for _, env := range history {
		if env.Type == eventType {
			n++
		}
	}
	return n
}

// TestRenewalDueIsRecordedOnceAcrossRestarts runs the scheduler, stops it before the read
// model caught up, starts another (a restart, and a second ledgerd at the same time): every
// certificate due has exactly one RenewalDue.
func TestRenewalDueIsRecordedOnceAcrossRestarts(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	first := w.ledgerd(t)
	// Due 30 days before the end of a 30-day certificate: at once.
	profile(t, first, domain.RenewalPolicy{DaysBefore: 30}, false)
	ids := issue(t, first, 5)
	w.waitLive(t)

	r, err := w.scheduler(first).Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, renewal.Round{Due: 5}, r, "notify mode: due, no attempt")
	// Restarted at once, before the projection saw the RenewalDue events: two schedulers of
	// new processes find the same certificates due again.
	var wg sync.WaitGroup
	for range 2 {
		s := w.scheduler(w.ledgerd(t))
		wg.Go(func() {
			_, err := s.Sweep(ctx)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	w.waitLive(t)
	r, err = w.scheduler(w.ledgerd(t)).Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, renewal.Round{}, r, "the read model knows they are due")
	for _, id := range ids {
		assert.Equal(t, 1, w.count(t, id, domain.TypeRenewalDue), "certificate %s", id)
	}
	rows, next, err := w.q.ListRenewals(ctx, pki.RenewalFilter{State: pki.RenewalStateDue}, uuid.Nil, 10)
	require.NoError(t, err)
	assert.Len(t, rows, 5)
	assert.Equal(t, uuid.Nil, next)
	assert.Equal(t, domain.RenewalNotify, rows[0].Mode)
}

// TestTheSchedulerRenewsAndSupersedes lets the scheduler renew a certificate with its CSR on
// record and revoke the old one as superseded, with no command from anyone.
func TestTheSchedulerRenewsAndSupersedes(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	app := w.ledgerd(t)
	profile(t, app, domain.RenewalPolicy{DaysBefore: 30, Mode: domain.RenewalReuseCSR, RevokeSuperseded: true}, false)
	old := issue(t, app, 1)[0]
	w.waitLive(t)
	s := w.scheduler(app)
	// The first round records the RenewalDue and, once the read model has it, this or the next
	// round renews. The successor is due at once too (30 days before the end of 30), which
	// later rounds may record: the old certificate is renewed once all the same.
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		_, err := s.Sweep(ctx)
		require.NoError(c, err)
		w.waitLive(t)
		row, err := w.q.Certificate(ctx, old)
		require.NoError(c, err)
		assert.Equal(c, domain.StatusRevoked, row.Status)
	}, 30*time.Second, 10*time.Millisecond)
	_, err := s.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, w.count(t, old, domain.TypeCertificateRenewed))
	assert.Equal(t, 1, w.count(t, old, domain.TypeRenewalDue))

	was, err := w.q.Certificate(ctx, old)
	require.NoError(t, err)
	assert.Equal(t, domain.StatusRevoked, was.Status)
	successor := commands.SuccessorID(old)
	next, err := w.q.Certificate(ctx, successor)
	require.NoError(t, err)
	assert.Equal(t, domain.StatusIssued, next.Status)
	rows, _, err := w.q.ListRenewals(ctx, pki.RenewalFilter{CertificateID: &old}, uuid.Nil, 10)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, pki.RenewalStateRenewed, rows[0].State)
	assert.Equal(t, &successor, rows[0].SuccessorID)
	assert.Equal(t, string(domain.StatusRevoked), rows[0].Status)
}

// TestAFailedRenewalWaitsForItsBackoff revokes the CA so that renewals fail: the failure is on
// the record and in the read model, the next attempt waits for the backoff, then counts on.
func TestAFailedRenewalWaitsForItsBackoff(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	app := w.ledgerd(t)
	profile(t, app, domain.RenewalPolicy{DaysBefore: 30, Mode: domain.RenewalReuseCSR}, false)
	old := issue(t, app, 1)[0]
	w.waitLive(t)
	row, err := w.q.Certificate(ctx, old)
	require.NoError(t, err)
	_, err = app.RevokeCA.Handle(ctx, commands.RevokeCA{CommandID: uuid.New(), CAID: row.CAID, Reason: "cessationOfOperation"}, secops)
	require.NoError(t, err)
	s := w.scheduler(app)
	// Due already (as a first round records it), so that this round is the first attempt.
	_, err = app.DueRenewal.Handle(ctx, commands.DueRenewal{CertificateID: old})
	require.NoError(t, err)
	w.waitLive(t)
	r, err := s.Sweep(ctx)
	require.Error(t, err)
	assert.Equal(t, renewal.Round{Attempted: 1, Failed: 1}, r)
	w.waitLive(t)

	rows, _, err := w.q.ListRenewals(ctx, pki.RenewalFilter{State: pki.RenewalStateFailed}, uuid.Nil, 10)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, 1, rows[0].Attempts)
	assert.Contains(t, rows[0].LastError, "revoked")
	assert.WithinDuration(t, time.Now().Add(domain.RenewalBackoff(1)), rows[0].NextAttemptAt, 10*time.Second)
	r, err = s.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, renewal.Round{}, r, "the next attempt waits a minute")

	s.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
	_, err = s.Sweep(ctx)
	require.Error(t, err)
	w.waitLive(t)
	rows, _, err = w.q.ListRenewals(ctx, pki.RenewalFilter{CertificateID: &old}, uuid.Nil, 10)
	require.NoError(t, err)
	assert.Equal(t, 2, rows[0].Attempts)
	assert.Equal(t, 2, w.count(t, old, domain.TypeRenewalFailed))
}
