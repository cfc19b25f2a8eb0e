package crl_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/api/crl"
)

func TestPostgresNumbersAreDistinctIncreasingAndPerSequence(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewDatabase(t)
	store := crl.PostgresNumbers(pool)
	require.NoError(t, store.EnsureSchema(ctx))
	require.NoError(t, store.EnsureSchema(ctx), "EnsureSchema is idempotent")

	const workers, each = 8, 25
	var mu sync.Mutex
	got := map[int64]bool{}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var last int64
			for i := 0; i < each; i++ {
				n, err := store.Next(ctx, "root", crl.KindComplete)
				if !assert.NoError(t, err) {
					return
				}
				assert.Greater(t, n.Int64(), last, "one caller's numbers increase")
				last = n.Int64()
				mu.Lock()
				assert.False(t, got[last], "number %d handed out twice", last)
				got[last] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Len(t, got, workers*each)
	for i := int64(1); i <= workers*each; i++ {
		assert.True(t, got[i], "number %d is missing", i)
	}

	tests := []struct {
		name, ca, kind string
		want           int64
	}{
		{"another CA starts at 1", "sub", crl.KindComplete, 1},
		{"a partition is its own sequence", "root", crl.PartitionKind(3), 1},
		{"the sequence goes on", "root", crl.KindComplete, workers*each + 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := store.Next(ctx, tc.ca, tc.kind)
			require.NoError(t, err)
			assert.Equal(t, tc.want, n.Int64())
		})
	}
}
