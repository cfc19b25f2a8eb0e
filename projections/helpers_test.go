package projections_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/infra/migrations"
	"github.com/certledger/certledger/projections"
)

// The adapter is the runner's event source.
var _ projections.EventSource = (*eventstore.Store)(nil)

// env is a migrated database of its own and an embedded event store.
type env struct {
	pool   *pgxpool.Pool
	store  *eventstore.Store
	client *esdb.Client
}

func newEnv(t testing.TB) env {
	t.Helper()
	pool := pgtest.NewDatabase(t)
	require.NoError(t, migrations.Migrate(context.Background(), pool))
	client := storetest.Client(t, storetest.Start(t))
	return env{pool: pool, store: eventstore.New(client), client: client}
}

// proposal is a small ledger event.
func proposal(eventType string, n int) events.Proposed {
	return events.Proposed{
		ID:   uuid.New(),
		Type: eventType,
		Data: fmt.Appendf(nil, `{"n":%d,"serial":"%032x"}`, n, n),
		Metadata: events.Metadata{SchemaVersion: 1, OccurredAt: time.Unix(1_700_000_000+int64(n), 0).UTC(),
			Actor: events.Actor{Subject: "alice", Roles: []string{"ADMIN"}}},
	}
}

// appendEvents appends n events of eventType to new streams of category, up to perStream
// events per stream in one append each, from writers goroutines. It returns the position of the
// newest event in $all.
func (e env) appendEvents(t testing.TB, category, eventType string, n, perStream, writers int) uint64 {
	t.Helper()
	ctx := context.Background()
	jobs := make(chan int)
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for size := range jobs {
				ps := make([]events.Proposed, size)
				for i := range ps {
					ps[i] = proposal(eventType, i)
				}
				stream := events.StreamName(category, uuid.New())
				if _, err := e.store.Append(ctx, stream, events.Head{}, ps); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for left := n; left > 0; left -= perStream {
		jobs <- min(left, perStream)
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	return e.last(t)
}

// last returns the position of the newest event in $all.
func (e env) last(t testing.TB) uint64 {
	t.Helper()
	pos, err := e.store.LastPosition(context.Background())
	require.NoError(t, err)
	return pos
}

// runner returns a runner for ps that logs to the test's output.
func (e env) runner(t testing.TB, ps []projections.Projection, opts ...projections.Option) *projections.Runner {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo}))
	r, err := projections.NewRunner(e.pool, e.store, ps, append([]projections.Option{projections.WithLogger(logger),
		projections.WithRetryDelay(50 * time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	return r
}

// start runs r until the returned stop is called (or the test ends).
func start(t testing.TB, r *projections.Runner) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			require.NoError(t, <-done)
		})
	}
	t.Cleanup(stop)
	return stop
}

// status returns the status of the named projection.
func status(t require.TestingT, r *projections.Runner, name string) projections.ProjectionStatus {
	all, err := r.Status(context.Background())
	require.NoError(t, err)
	for _, s := range all {
		if s.Name == name {
			return s
		}
	}
	require.Failf(t, "no status", "projection %s", name)
	return projections.ProjectionStatus{}
}

// stateOf returns the state of the named projection, "" when Status fails; for conditions
// polled from another goroutine.
func stateOf(r *projections.Runner, name string) projections.State {
	all, err := r.Status(context.Background())
	if err != nil {
		return ""
	}
	for _, s := range all {
		if s.Name == name {
			return s.State
		}
	}
	return ""
}

// waitLive waits until every projection of r is live with its checkpoint at position pos.
func waitLive(t testing.TB, r *projections.Runner, pos uint64) {
	t.Helper()
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		all, err := r.Status(context.Background())
		require.NoError(c, err)
		for _, s := range all {
			assert.Equal(c, projections.StateLive, s.State, s.Name)
			assert.Equal(c, pos, s.Position, s.Name)
		}
	}, 60*time.Second, 20*time.Millisecond)
}

// rows returns the rows of a table as text, sorted, to compare read models.
func (e env) rows(t testing.TB, table string) []string {
	t.Helper()
	var out []string
	err := e.pool.QueryRow(context.Background(),
		"SELECT coalesce(array_agg(t::text ORDER BY t::text), '{}') FROM "+table+" t").Scan(&out)
	require.NoError(t, err)
	return out
}

// checkpoint returns the stored checkpoint of a projection.
func (e env) checkpoint(t testing.TB, name string) uint64 {
	t.Helper()
	var pos int64
	require.NoError(t, e.pool.QueryRow(context.Background(),
		"SELECT position FROM projection_checkpoints WHERE name = $1", name).Scan(&pos))
	return uint64(pos)
}

// checkpointOr0 returns the stored checkpoint of a projection, 0 when there is none yet.
func (e env) checkpointOr0(name string) uint64 {
	var pos int64
	_ = e.pool.QueryRow(context.Background(), "SELECT position FROM projection_checkpoints WHERE name = $1", name).Scan(&pos)
	return uint64(pos)
}

// sum returns the total of the events column of a stream_counts table.
func (e env) sum(t testing.TB, table string) uint64 {
	t.Helper()
	var n int64
	require.NoError(t, e.pool.QueryRow(context.Background(), "SELECT coalesce(sum(events), 0)::bigint FROM "+table).Scan(&n))
	return uint64(n)
}
