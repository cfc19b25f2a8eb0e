package audit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/infra/migrations"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/audit"
	"github.com/certledger/certledger/projections/projectiontest"
)

func TestMain(m *testing.M) { hsmtest.Main(m) }

// The read model is a projection that writes batches.
var _ projections.BatchProjection = (*audit.Projection)(nil)

// env is a migrated database, an embedded event store, command handlers on the test HSM (for
// checkpoints) and a runner of the audit projection alone, running until the test ends.
type env struct {
	pool   *pgxpool.Pool
	store  *eventstore.Store
	h      *commands.Application
	q      *audit.Queries
	runner *projections.Runner
}

func newEnv(t *testing.T, opts ...projections.Option) env {
	t.Helper()
	pool := pgtest.NewDatabase(t)
	require.NoError(t, migrations.Migrate(context.Background(), pool))
	store := eventstore.New(storetest.Client(t, storetest.Start(t)))
	h, err := commands.NewApplication(store, hsm.KeyStore{HSM: hsmtest.Open(t)}, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(t, err)
	runner := projectiontest.Start(t, pool, store, []projections.Projection{audit.New()}, opts...)
	return env{pool: pool, store: store, h: h, q: audit.NewQueries(pool), runner: runner}
}

// waitLive waits until the projection is live at the store's newest position.
func (e env) waitLive(t *testing.T) {
	t.Helper()
	projectiontest.WaitLive(t, e.runner, e.store)
}

// appendEvents appends n events in batches of up to 3 to a few streams of several categories.
func (e env) appendEvents(t *testing.T, n int) {
	t.Helper()
	ctx := context.Background()
	streams := []string{events.StreamName(events.CategoryCertificate, uuid.New()), events.StreamName(events.CategoryCA, uuid.New()),
		events.StreamName(events.CategoryAPIToken, uuid.New())}
	heads := map[string]events.Head{}
	for i := 0; i < n; {
		stream := streams[i%len(streams)]
		var batch []events.Proposed
		for j := 0; j < 1+i%3 && i < n; j, i = j+1, i+1 {
			batch = append(batch, events.Proposed{ID: uuid.New(), Type: "Counted", Data: fmt.Appendf(nil, `{"i":%d}`, i),
				Metadata: events.Metadata{SchemaVersion: 1, OccurredAt: time.Now().UTC(), Actor: events.Actor{Subject: "test"}}})
		}
		head, err := e.store.Append(ctx, stream, heads[stream], batch)
		require.NoError(t, err)
		heads[stream] = head
	}
}

// dump returns the rows of a table of rm_audit as text, ordered by its first column.
func (e env) dump(t *testing.T, table string) []string {
	t.Helper()
	var rows []string
	require.NoError(t, e.pool.QueryRow(context.Background(),
		"SELECT coalesce(array_agg(t::text ORDER BY t), '{}') FROM rm_audit."+table+" t").Scan(&rows))
	return rows
}
