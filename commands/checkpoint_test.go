package commands_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// checkpoints returns the checkpoints of the audit stream, read whole.
func checkpoints(t *testing.T, l ledger) []domain.AuditCheckpointSigned {
	t.Helper()
	envs, _, err := l.store.Load(context.Background(), events.AuditCheckpointStream)
	require.NoError(t, err)
	out := make([]domain.AuditCheckpointSigned, len(envs))
	for i, e := range envs {
		require.Equal(t, "AuditCheckpointSigned", e.Type)
		require.Equal(t, commands.System.Actor.Subject, e.Metadata.Actor.Subject)
		require.NoError(t, json.Unmarshal(e.Data, &out[i]))
	}
	return out
}

func TestSignCheckpointSignsWithTheHSMAuditKey(t *testing.T) {
	l := newLedger(t)
	ctx := context.Background()
	root := sha256.Sum256([]byte("a tree of 7 leaves"))

	res, err := l.h.SignCheckpoint.Handle(ctx, commands.SignCheckpoint{Size: 7, Root: root, LastPosition: 1234})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Appended)

	pub, err := l.h.Queries.AuditKey(ctx)
	require.NoError(t, err)
	key, ok := pub.(*ecdsa.PublicKey)
	require.True(t, ok, "the audit key is ECDSA, not %T", pub)
	assert.Equal(t, elliptic.P256(), key.Curve)
	keyID, err := domain.AuditKeyID(pub)
	require.NoError(t, err)

	all := checkpoints(t, l)
	require.Len(t, all, 1)
	c := all[0]
	assert.Equal(t, int64(7), c.TreeSize)
	assert.Equal(t, root[:], c.RootHash)
	assert.Equal(t, uint64(1234), c.LastPosition)
	assert.Equal(t, keyID, c.KeyID)
	assert.Equal(t, domain.CheckpointAlgorithm, c.Algorithm)
	body, err := domain.ParseCheckpointNote(c.Note)
	require.NoError(t, err)
	assert.Equal(t, c.Body(), body, "the note says what the event says")
	digest := sha256.Sum256([]byte(c.Note))
	assert.True(t, ecdsa.VerifyASN1(key, digest[:], c.Signature), "the signature verifies with the HSM's public key")

	again, err := l.h.Queries.AuditKey(ctx)
	require.NoError(t, err)
	assert.True(t, key.Equal(again), "the audit key is made once")
}

func TestSignCheckpointRefusesWhatDoesNotExtendTheLog(t *testing.T) {
	l := newLedger(t)
	ctx := context.Background()
	root10 := sha256.Sum256([]byte("tree of 10"))
	_, err := l.h.SignCheckpoint.Handle(ctx, commands.SignCheckpoint{Size: 10, Root: root10, LastPosition: 100})
	require.NoError(t, err)

	other10 := sha256.Sum256([]byte("another tree of 10"))
	_, err = l.h.SignCheckpoint.Handle(ctx, commands.SignCheckpoint{Size: 10, Root: other10, LastPosition: 100})
	assert.True(t, domain.IsKind(err, domain.KindConflict), "another root at the same size: %v", err)
	assert.Contains(t, err.Error(), "changed after it was signed")
	_, err = l.h.SignCheckpoint.Handle(ctx, commands.SignCheckpoint{Size: 9, Root: sha256.Sum256([]byte("tree of 9")), LastPosition: 90})
	assert.True(t, domain.IsKind(err, domain.KindConflict), "a smaller size: %v", err)
	_, err = l.h.SignCheckpoint.Handle(ctx, commands.SignCheckpoint{Size: 0, Root: sha256.Sum256(nil), LastPosition: 0})
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "an empty tree: %v", err)
	require.Len(t, checkpoints(t, l), 1, "refusals append nothing")

	res, err := l.h.SignCheckpoint.Handle(ctx, commands.SignCheckpoint{Size: 10, Root: root10, LastPosition: 100})
	require.NoError(t, err)
	assert.True(t, res.Replayed, "the same checkpoint again is a replay")
	require.Len(t, checkpoints(t, l), 1, "a replay appends nothing")

	_, err = l.h.SignCheckpoint.Handle(ctx, commands.SignCheckpoint{Size: 11, Root: sha256.Sum256([]byte("tree of 11")), LastPosition: 110})
	require.NoError(t, err)
	all := checkpoints(t, l)
	require.Len(t, all, 2)
	assert.Equal(t, []int64{10, 11}, []int64{all[0].TreeSize, all[1].TreeSize})
}
