// Package projectiontest runs projections for tests: a runner over a real event source and a
// real Postgres database, stopped when the test ends, and a wait until it has caught up.
package projectiontest

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/projections"
)

// Start runs a runner of ps until the test ends; warnings go to the test's output, and a
// failed projection is retried after 50 ms. opts come after those defaults.
func Start(t testing.TB, pool *pgxpool.Pool, source projections.EventSource, ps []projections.Projection,
	opts ...projections.Option) *projections.Runner {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	opts = append([]projections.Option{projections.WithLogger(logger), projections.WithRetryDelay(50 * time.Millisecond)}, opts...)
	runner, err := projections.NewRunner(pool, source, ps, opts...)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runner.Run(ctx) }()
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { cancel(); require.NoError(t, <-done) }) })
	return runner
}

// WaitLive waits until every projection of r is live, without error, at the source's newest
// position.
func WaitLive(t testing.TB, r *projections.Runner, source projections.EventSource) {
	t.Helper()
	last, err := source.LastPosition(context.Background())
	require.NoError(t, err)
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		all, err := r.Status(context.Background())
		require.NoError(c, err)
		for _, p := range all {
			assert.Empty(c, p.Error, p.Name)
			assert.Equal(c, projections.StateLive, p.State, p.Name)
			assert.Equal(c, last, p.Position, p.Name)
		}
	}, time.Minute, 20*time.Millisecond)
}
