package audit_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/audit"
	"github.com/certledger/certledger/projections/audit/audittest"
)

// expectedLeaves reads $all and keeps what the tree covers: ledger events outside the audit stream.
func expectedLeaves(t *testing.T, e env) []events.Envelope {
	t.Helper()
	var out []events.Envelope
	for raw, err := range e.store.ReadAll(context.Background(), 0) {
		require.NoError(t, err)
		if raw.Stream == events.AuditCheckpointStream || events.IsSystemStream(raw.Stream) || raw.Type[0] == '$' {
			continue
		}
		env, err := events.ParseEnvelope(raw)
		require.NoError(t, err)
		out = append(out, env)
	}
	return out
}

func TestTreeIsTheRFC6962TreeOfTheLedgerEvents(t *testing.T) {
	e := newEnv(t, projections.WithBatchLimits(7, 0)) // batches of every size up to 7
	ctx := context.Background()
	e.appendEvents(t, 40)
	e.waitLive(t)
	size, root := e.signCheckpoint(t)
	e.appendEvents(t, 25)
	e.waitLive(t)

	leaves := expectedLeaves(t, e)
	require.Len(t, leaves, 65, "the checkpoint is no leaf")
	var log audittest.MemoryLog
	mem := audit.NewTree()
	for n, env := range leaves {
		stored, err := tlog.StoredHashes(int64(n), env.Hash[:], log)
		require.NoError(t, err)
		log = append(log, stored...)
		require.NoError(t, mem.Add(env.Hash))

		size := int64(n + 1)
		want, err := tlog.TreeHash(size, log)
		require.NoError(t, err)
		got, err := e.q.TreeHash(ctx, size)
		require.NoError(t, err)
		require.Equal(t, want, got, "tree head of size %d", size)
		inMemory, err := mem.Root()
		require.NoError(t, err)
		require.Equal(t, want, inMemory, "in-memory tree head of size %d", size)

		leaf, err := e.q.Leaf(ctx, env.ID)
		require.NoError(t, err)
		assert.Equal(t, audit.Leaf{Index: int64(n), Position: env.Position, EventID: env.ID, Stream: env.Stream,
			Revision: env.Revision, EventHash: env.Hash}, leaf)
	}
	var count int64
	require.NoError(t, e.pool.QueryRow(ctx, "SELECT count(*) FROM rm_audit.hashes").Scan(&count))
	assert.Equal(t, tlog.StoredHashCount(65), count, "the table holds exactly tlog's stored hashes")

	_, err := e.q.TreeHash(ctx, 66)
	assert.ErrorIs(t, err, audit.ErrBeyondTree)
	cp, err := e.q.LatestCheckpoint(ctx)
	require.NoError(t, err)
	assert.Equal(t, size, cp.TreeSize)
	assert.Equal(t, root[:], cp.RootHash)
}

func TestProofsVerifyAgainstTreeHeads(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.appendEvents(t, 33)
	e.waitLive(t)
	leaves := expectedLeaves(t, e)
	for _, size := range []int64{1, 2, 7, 16, 33} {
		head, err := e.q.TreeHash(ctx, size)
		require.NoError(t, err)
		for _, n := range []int64{0, size / 2, size - 1} {
			proof, err := e.q.InclusionProof(ctx, n, size)
			require.NoError(t, err)
			require.NoError(t, tlog.CheckRecord(proof, size, head, n, audit.LeafHash(leaves[n].Hash)), "leaf %d of %d", n, size)
			if size > 1 {
				assert.Error(t, tlog.CheckRecord(proof, size, head, n, audit.LeafHash(leaves[(n+1)%size].Hash)), "another leaf")
			}
		}
		for _, from := range []int64{1, size / 2, size} {
			if from < 1 {
				continue
			}
			old, err := e.q.TreeHash(ctx, from)
			require.NoError(t, err)
			proof, err := e.q.ConsistencyProof(ctx, from, size)
			require.NoError(t, err)
			require.NoError(t, tlog.CheckTree(proof, size, head, from, old), "%d → %d", from, size)
		}
	}
	_, err := e.q.InclusionProof(ctx, 33, 33)
	assert.Error(t, err)
	_, err = e.q.ConsistencyProof(ctx, 0, 33)
	assert.Error(t, err)
	_, err = e.q.LatestCheckpoint(ctx)
	assert.ErrorIs(t, err, audit.ErrNotFound)
}

func TestRebuildYieldsIdenticalRows(t *testing.T) {
	e := newEnv(t, projections.WithBatchLimits(1, 0)) // live: one event per transaction
	ctx := context.Background()
	e.appendEvents(t, 30)
	e.waitLive(t)
	e.signCheckpoint(t)
	e.appendEvents(t, 10)
	e.waitLive(t)
	live := map[string][]string{}
	for _, table := range []string{"leaves", "hashes", "checkpoints"} {
		live[table] = e.dump(t, table)
	}
	require.Len(t, live["leaves"], 40)
	require.Len(t, live["checkpoints"], 1)

	require.NoError(t, e.runner.Rebuild(ctx, audit.Name, nil))
	for table, rows := range live {
		assert.Equal(t, rows, e.dump(t, table), table)
	}
}

// signCheckpoint signs a checkpoint of the tree as the projection has it now, and returns its
// size and root.
func (e env) signCheckpoint(t *testing.T) (int64, tlog.Hash) {
	t.Helper()
	ctx := context.Background()
	size, err := e.q.TreeSize(ctx)
	require.NoError(t, err)
	root, err := e.q.TreeHash(ctx, size)
	require.NoError(t, err)
	_, err = e.h.SignCheckpoint.Handle(ctx, commands.SignCheckpoint{Size: size, Root: root, LastPosition: 0})
	require.NoError(t, err)
	return size, root
}
