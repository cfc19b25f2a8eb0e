package acmenonces_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/postgres/acmenonces"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/infra/migrations"
)

func TestANonceIsAcceptedOnceAcrossStores(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewDatabase(t)
	require.NoError(t, migrations.Migrate(ctx, pool))
	a, b := acmenonces.New(pool, 0), acmenonces.New(pool, 0) // two nodes, or before and after a restart
	nonce, err := a.New(ctx)
	require.NoError(t, err)

	var accepted atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			ok, err := b.Consume(ctx, nonce)
			assert.NoError(t, err)
			if ok {
				accepted.Add(1)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int32(1), accepted.Load(), "of concurrent uses, exactly one is accepted")
	ok, err := a.Consume(ctx, "never-issued")
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestAnExpiredNonceIsRefused(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewDatabase(t)
	require.NoError(t, migrations.Migrate(ctx, pool))
	s := acmenonces.New(pool, 10*time.Millisecond)
	nonce, err := s.New(ctx)
	require.NoError(t, err)
	time.Sleep(50 * time.Millisecond)
	ok, err := s.Consume(ctx, nonce)
	require.NoError(t, err)
	assert.False(t, ok)
}
