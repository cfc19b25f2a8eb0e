package clienttest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/projections/audit"
)

// Checkpoint waits until the audit read model holds every ledger event stored now, signs a
// checkpoint of that tree as ledgerd's checkpointer does, and waits until the read model has
// recorded it. Without a new event since the last checkpoint it returns that one again.
func (l *Ledger) Checkpoint(t testing.TB) audit.Checkpoint {
	t.Helper()
	ctx := context.Background()
	last, err := l.Store.LastPosition(ctx)
	require.NoError(t, err)
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		all, err := l.Runner.Status(ctx)
		require.NoError(c, err)
		for _, p := range all {
			if p.Name == audit.Name {
				assert.Empty(c, p.Error)
				assert.GreaterOrEqual(c, p.Position, last)
			}
		}
	}, time.Minute, 10*time.Millisecond, "the audit read model catches up")
	size, err := l.Audit.TreeSize(ctx)
	require.NoError(t, err)
	require.Positive(t, size, "a checkpoint needs a ledger event")
	leaf, err := l.Audit.Leaves(ctx, size-1, size)
	require.NoError(t, err)
	root, err := l.Audit.TreeHash(ctx, size)
	require.NoError(t, err)
	_, err = l.App.SignCheckpoint.Handle(ctx, commands.SignCheckpoint{Size: size, Root: root, LastPosition: leaf[0].Position})
	require.NoError(t, err)
	var cp audit.Checkpoint
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		cp, err = l.Audit.Checkpoint(ctx, size)
		assert.NoError(c, err)
	}, time.Minute, 10*time.Millisecond, "the audit read model records the checkpoint")
	return cp
}
