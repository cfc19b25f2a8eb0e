package pki_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/infra/migrations"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/pki"
)

func TestMain(m *testing.M) { hsmtest.Main(m) }

// The read model is a projection that writes batches.
var _ projections.BatchProjection = (*pki.Projection)(nil)

var (
	secops  = commands.Caller{Actor: domain.Actor{Subject: "sec@example.com", Roles: []domain.Role{domain.RoleSecOps}}}
	secops2 = commands.Caller{Actor: domain.Actor{Subject: "sec2@example.com", Roles: []domain.Role{domain.RoleSecOps}}}
	devops  = commands.Caller{Actor: domain.Actor{Subject: "dev@example.com", Roles: []domain.Role{domain.RoleDevOps}, Team: "web"}}
)

// env is a migrated database, an embedded event store, command handlers on the test HSM and
// the pki projection with its queries.
type env struct {
	pool  *pgxpool.Pool
	store *eventstore.Store
	h     *commands.Application
	q     *pki.Queries
	reg   *events.Registry
}

func newEnv(t *testing.T) env {
	t.Helper()
	pool := pgtest.NewDatabase(t)
	require.NoError(t, migrations.Migrate(context.Background(), pool))
	store := eventstore.New(storetest.Client(t, storetest.Start(t)))
	h, err := commands.NewApplication(store, hsm.KeyStore{HSM: hsmtest.Open(t)}, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(t, err)
	reg, err := commands.NewRegistry()
	require.NoError(t, err)
	return env{pool: pool, store: store, h: h, q: pki.NewQueries(pool), reg: reg}
}

// runner returns a runner of the pki projection alone.
func (e env) runner(t *testing.T, opts ...projections.Option) *projections.Runner {
	t.Helper()
	p, err := pki.New()
	require.NoError(t, err)
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	r, err := projections.NewRunner(e.pool, e.store, []projections.Projection{p},
		append([]projections.Option{projections.WithLogger(logger), projections.WithRetryDelay(50 * time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	return r
}

// start runs r until the returned stop is called or the test ends.
func start(t *testing.T, r *projections.Runner) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); require.NoError(t, <-done) }) }
	t.Cleanup(stop)
	return stop
}

// waitLive waits until the projection is live at the store's newest position.
func (e env) waitLive(t *testing.T, r *projections.Runner) {
	t.Helper()
	last, err := e.store.LastPosition(context.Background())
	require.NoError(t, err)
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		all, err := r.Status(context.Background())
		require.NoError(c, err)
		require.Len(c, all, 1)
		assert.Empty(c, all[0].Error)
		assert.Equal(c, projections.StateLive, all[0].State)
		assert.Equal(c, last, all[0].Position)
	}, time.Minute, 20*time.Millisecond)
}

// createCA makes a root (parent uuid.Nil) or an intermediate CA.
func (e env) createCA(t *testing.T, parent uuid.UUID, kt domain.KeyType) uuid.UUID {
	t.Helper()
	id := uuid.New()
	cmd := commands.CreateCA{CommandID: uuid.New(), CAID: id, Name: "CA " + id.String()[:8],
		CommonName: "Test CA " + id.String()[:8], KeyType: kt, ParentID: parent, ValidityDays: 3650, PathLen: 1}
	if parent != uuid.Nil { // Intermediates have partitioned CRLs.
		cmd.ValidityDays, cmd.PathLen, cmd.CRLPartitions = 1825, 0, 4
	}
	_, err := e.h.CreateCA.Handle(context.Background(), cmd, secops)
	require.NoError(t, err)
	return id
}

// defineProfile defines (or updates) a profile of team for example.com names.
func (e env) defineProfile(t *testing.T, name, team string, approval, update bool) {
	t.Helper()
	_, err := e.h.DefineProfile.Handle(context.Background(), commands.DefineProfile{CommandID: uuid.New(), Update: update,
		Spec: domain.ProfileSpec{Name: name, Team: team, AllowedDomains: []string{"example.com"},
			KeyTypes: []domain.KeyType{domain.KeyECDSAP256}, MaxValidityDays: 90, KeyUsages: []string{"digitalSignature"},
			ExtKeyUsages: []string{"serverAuth"}, RequireCNInSANs: true, RequiresApproval: approval}}, secops)
	require.NoError(t, err)
}

// request asks ca for a certificate for the DNS names under profile and returns its id.
func (e env) request(t *testing.T, ca uuid.UUID, profile, team string, by commands.Caller, names ...string) uuid.UUID {
	t.Helper()
	id := uuid.New()
	_, err := e.h.RequestCertificate.Handle(context.Background(), commands.RequestCertificate{CommandID: uuid.New(),
		CertificateID: id, CAID: ca.String(), Profile: profile, CSRPEM: csrFor(t, names...), Team: team,
		Owner: by.Actor.Subject, ValidityDays: 30}, by)
	require.NoError(t, err)
	return id
}

// csrFor makes a PEM CSR for the DNS names with a fresh P-256 key.
func csrFor(t *testing.T, names ...string) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject: pkix.Name{CommonName: names[0]}, DNSNames: names}, key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})
}

// decide appends what f decides on the folded stream, as commands do, for decisions that have
// no command yet (revoking a CA, expiring a certificate).
func (e env) decide(t *testing.T, stream string, f func(past []domain.Event) ([]domain.Event, error)) {
	t.Helper()
	_, err := commands.Execute(context.Background(), e.store, uuid.New(), stream, func(history []events.Envelope) ([]events.Proposed, error) {
		var past []domain.Event
		for _, env := range history {
			v, err := e.reg.Decode(env)
			if err != nil {
				return nil, err
			}
			past = append(past, v.(domain.Event))
		}
		decided, err := f(past)
		if err != nil {
			return nil, err
		}
		out := make([]events.Proposed, len(decided))
		for i, d := range decided {
			data, err := json.Marshal(d)
			if err != nil {
				return nil, err
			}
			out[i] = events.Proposed{Type: d.EventType(), Data: data, Metadata: events.Metadata{SchemaVersion: domain.SchemaVersion,
				OccurredAt: time.Now().UTC(), Actor: events.Actor{Subject: "system"}}}
		}
		return out, nil
	})
	require.NoError(t, err)
}

// parseCert parses a DER certificate.
func parseCert(t *testing.T, der []byte) *x509.Certificate {
	t.Helper()
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return c
}
