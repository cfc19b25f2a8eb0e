package projections_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/projections"
)

// TestAsOfCacheReplaysEachMomentOnceAndDropsTheOldest asks a cache that keeps one replay for
// two moments: each is replayed once and answered from its schema, the older one's schema is
// dropped when the second is kept, and a failed replay is not kept.
func TestAsOfCacheReplaysEachMomentOnceAndDropsTheOldest(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.appendEvents(t, events.CategoryCertificate, "Issued", 12, 12, 1)
	r := e.runner(t, []projections.Projection{counts{}})
	cache := projections.NewAsOfCache(ctx, r, "asof_test", nil, 1)

	five := projections.AsOfPosition(5)
	got, err := cache.Get(ctx, five, 10*time.Second)
	require.NoError(t, err)
	require.True(t, got.Ready)
	assert.Equal(t, uint64(5), got.Replayed.Position)
	assert.Equal(t, cache.SchemaOf(five), got.Replayed.Schema)
	assert.Equal(t, []string{"(certificate,5)"}, e.rows(t, got.Replayed.Schema+".stream_counts"))
	again, err := cache.Get(ctx, five, 10*time.Second)
	require.NoError(t, err)
	assert.Equal(t, got.Replayed.Duration, again.Replayed.Duration, "the same replay, not a second one")

	eight := projections.AsOfPosition(8)
	got8, err := cache.Get(ctx, eight, 10*time.Second)
	require.NoError(t, err)
	assert.Equal(t, []string{"(certificate,8)"}, e.rows(t, got8.Replayed.Schema+".stream_counts"))
	var n int
	require.NoError(t, e.pool.QueryRow(ctx, "SELECT count(*) FROM pg_namespace WHERE nspname = $1", cache.SchemaOf(five)).Scan(&n))
	assert.Zero(t, n, "keeping one replay, the older moment's schema is dropped")

	failing := projections.NewAsOfCache(ctx, r, "asof_test", []string{"nope"}, 1)
	_, err = failing.Get(ctx, five, 10*time.Second)
	require.ErrorIs(t, err, projections.ErrUnknownProjection)
	_, err = failing.Get(ctx, five, 10*time.Second)
	require.ErrorIs(t, err, projections.ErrUnknownProjection, "a failed replay is tried again, not remembered as done")

	require.Error(t, r.DropReplay(ctx, "public"), "only a replay's schema is dropped")
}
