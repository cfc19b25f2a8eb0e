package siem_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/adapters/siem"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
)

// The event store adapter is the forwarder's event source.
var _ siem.EventSource = (*eventstore.Store)(nil)

// env is an embedded event store and a Postgres database of the test's own.
type env struct {
	store    *eventstore.Store
	storeURL string
	pool     *pgxpool.Pool
	dbURL    string
}

func newEnv(t testing.TB) *env {
	t.Helper()
	srv := storetest.Start(t)
	dbURL := pgtest.NewDatabaseURL(t)
	pool, err := pgxpool.New(context.Background(), dbURL)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	return &env{store: eventstore.New(storetest.Client(t, srv)), storeURL: srv.URL(), pool: pool, dbURL: dbURL}
}

// stream is a stream of test events: category, type and how many events it gets.
type stream struct {
	category, eventType string
	events              int
}

// appendEvents appends the events of streams in rounds of chunk events per stream, so that the
// streams interleave in $all, from 8 writers; pause waits between rounds. It returns the
// position of the newest event.
func (e *env) appendEvents(t testing.TB, streams []stream, chunk int, pause time.Duration) uint64 {
	t.Helper()
	pos, err := e.appendEventsErr(streams, chunk, pause)
	require.NoError(t, err)
	return pos
}

// appendEventsErr is appendEvents for other goroutines than the test's.
func (e *env) appendEventsErr(streams []stream, chunk int, pause time.Duration) (uint64, error) {
	type state struct {
		stream
		name string
		head events.Head
	}
	states := make([]*state, len(streams))
	for i, s := range streams {
		states[i] = &state{stream: s, name: events.StreamName(s.category, uuid.New())}
	}
	ctx := context.Background()
	for round := 0; ; round++ {
		if round > 0 {
			time.Sleep(pause)
		}
		var todo []*state
		for _, s := range states {
			if int(s.head.Next) < s.events {
				todo = append(todo, s)
			}
		}
		if len(todo) == 0 {
			return e.store.LastPosition(ctx)
		}
		work := make(chan *state)
		errs := make(chan error, len(todo))
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for s := range work {
					ps := make([]events.Proposed, min(chunk, s.events-int(s.head.Next)))
					for i := range ps {
						ps[i] = proposal(s.eventType, int(s.head.Next)+i)
					}
					head, err := e.store.Append(ctx, s.name, s.head, ps)
					if err != nil {
						errs <- err
					}
					s.head = head
				}
			})
		}
		for _, s := range todo {
			work <- s
		}
		close(work)
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			return 0, err
		}
	}
}

// uniform is n streams of category and type with perStream events each.
func uniform(n int, category, eventType string, perStream int) []stream {
	out := make([]stream, n)
	for i := range out {
		out[i] = stream{category, eventType, perStream}
	}
	return out
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

// ledgerEvents returns the ledger events in the store that keep selects, by id.
func (e *env) ledgerEvents(t testing.TB, keep func(events.Envelope) bool) map[string]events.Envelope {
	t.Helper()
	out := map[string]events.Envelope{}
	for raw, err := range e.store.ReadAll(context.Background(), 0) {
		require.NoError(t, err)
		env, err := events.ParseEnvelope(raw)
		if err != nil || events.IsSystemStream(raw.Stream) || (keep != nil && !keep(env)) {
			continue
		}
		out[env.ID.String()] = env
	}
	return out
}

// config parses a SIEM configuration from JSON.
func config(t testing.TB, js string) siem.Config {
	t.Helper()
	cfg, err := siem.ParseConfig([]byte(js))
	require.NoError(t, err)
	return cfg
}

// start runs a forwarder until the test ends or stop is called; stop waits for Run to return.
func (e *env) start(t testing.TB, cfg siem.Config) (f *siem.Forwarder, stop func()) {
	t.Helper()
	f, err := siem.New(cfg, siem.Options{Source: e.store, Pool: e.pool, Registry: prometheus.NewRegistry(),
		Logger: testLogger(t), PoisonDir: t.TempDir()})
	require.NoError(t, err)
	return f, e.run(t, f)
}

// run runs f until stop is called or the test ends.
func (e *env) run(t testing.TB, f *siem.Forwarder) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				require.NoError(t, err)
			case <-time.After(30 * time.Second):
				t.Error("the forwarder did not stop within 30 s")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// testLogger logs warnings and errors into the test log.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

// waitFor polls cond every 20 ms until it holds, failing the test after timeout.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// caughtUp tells whether every sink's watermark reached the newest position.
func caughtUp(t testing.TB, f *siem.Forwarder, sinks ...string) bool {
	lags, err := f.Lag(context.Background())
	require.NoError(t, err)
	for _, s := range sinks {
		if lags[s] != 0 {
			return false
		}
	}
	return true
}
