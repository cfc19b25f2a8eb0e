package rest_test

import (
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/projections/audit"
	"github.com/certledger/certledger/tests/clienttest"
)

// checkInclusion verifies an inclusion proof as an outside verifier would: the leaf hash of
// the event's chain hash, the audit path, up to the checkpoint's root.
func checkInclusion(t *testing.T, p client.InclusionProof) error {
	t.Helper()
	eventHash, err := hex.DecodeString(p.Event.Hash)
	require.NoError(t, err)
	proof := make(tlog.RecordProof, len(p.Proof))
	for i, h := range p.Proof {
		proof[i] = tlog.Hash(h)
	}
	return tlog.CheckRecord(proof, p.TreeSize, tlog.Hash(p.Checkpoint.Root), p.LeafIndex, tlog.RecordHash(eventHash))
}

// apiStatus is the HTTP status of a failed client call.
func apiStatus(err error) int {
	if e, ok := err.(*client.Error); ok {
		return e.Status
	}
	return 0
}

func TestAuditRoutesProveInclusionAndConsistency(t *testing.T) {
	l := clienttest.Start(t)
	ctx := t.Context()
	viewer := client.New(l.URL, clienttest.ViewerToken)
	admin := client.New(l.URL, clienttest.AdminToken)
	caID := setup(t, l.Server)
	require.EventuallyWithT(t, func(c *assert.CollectT) { // once the read model's tables exist
		_, err := viewer.LatestCheckpoint(ctx)
		assert.Equal(c, http.StatusNotFound, apiStatus(err), "no checkpoint yet: %v", err)
	}, time.Minute, 20*time.Millisecond)
	history, err := admin.CAHistory(ctx, caID)
	require.NoError(t, err)
	first := history.Events[0]
	old := l.Checkpoint(t)

	// A later event is in the tree but in no checkpoint yet: 409 until the next one.
	later, err := admin.IssueToken(ctx, client.NewToken{Role: "VIEWER", TTL: "24h"})
	require.NoError(t, err)
	tokenEvents, _, err := l.Store.Load(ctx, events.StreamName(events.CategoryAPIToken, uuid.MustParse(later.ID)))
	require.NoError(t, err)
	laterID := tokenEvents[0].ID.String()
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		_, err := viewer.InclusionProof(ctx, laterID, 0)
		assert.Equal(c, http.StatusConflict, apiStatus(err), "%v", err)
	}, time.Minute, 20*time.Millisecond)
	_, err = viewer.InclusionProof(ctx, "6a8f1c9e-0000-4000-8000-000000000000", 0)
	assert.Equal(t, http.StatusNotFound, apiStatus(err), "an unknown event: %v", err)
	_, err = viewer.InclusionProof(ctx, "not-a-uuid", 0)
	assert.Equal(t, http.StatusBadRequest, apiStatus(err))

	latest := l.Checkpoint(t)
	require.Greater(t, latest.TreeSize, old.TreeSize)
	got, err := viewer.LatestCheckpoint(ctx)
	require.NoError(t, err)
	assert.Equal(t, latest.TreeSize, got.TreeSize)
	assert.Equal(t, latest.RootHash, got.Root)

	for _, id := range []string{first.ID, laterID} {
		p, err := viewer.InclusionProof(ctx, id, 0)
		require.NoError(t, err)
		assert.Equal(t, id, p.Event.ID)
		assert.Equal(t, latest.TreeSize, p.TreeSize)
		require.NoError(t, checkInclusion(t, p), "event %s against the latest checkpoint's root", id)
		p.LeafIndex = (p.LeafIndex + 1) % p.TreeSize
		assert.Error(t, checkInclusion(t, p), "the proof is of that leaf only")
	}
	p, err := viewer.InclusionProof(ctx, first.ID, old.TreeSize)
	require.NoError(t, err)
	assert.Equal(t, old.TreeSize, p.Checkpoint.TreeSize)
	require.NoError(t, checkInclusion(t, p), "against an older checkpoint")
	assert.Equal(t, first.Hash, p.Event.Hash)

	// The checkpoint is signed by the key the API serves, over the note it shows.
	pemKey, keyID, err := viewer.AuditKey(ctx)
	require.NoError(t, err)
	block, _ := pem.Decode(pemKey)
	require.NotNil(t, block)
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	require.NoError(t, err)
	assert.Equal(t, got.KeyID, keyID)
	require.NoError(t, domain.VerifyCheckpointSignature(pub, got.Note, got.Signature))
	body, err := domain.ParseCheckpointNote(got.Note)
	require.NoError(t, err)
	assert.Equal(t, got.TreeSize, body.TreeSize)
	assert.Equal(t, got.Root, body.RootHash[:])

	c, err := viewer.ConsistencyProof(ctx, old.TreeSize, latest.TreeSize)
	require.NoError(t, err)
	proof := make(tlog.TreeProof, len(c.Proof))
	for i, h := range c.Proof {
		proof[i] = tlog.Hash(h)
	}
	require.NoError(t, tlog.CheckTree(proof, latest.TreeSize, tlog.Hash(latest.RootHash), old.TreeSize, tlog.Hash(old.RootHash)))
	assert.Error(t, tlog.CheckTree(proof, latest.TreeSize, tlog.Hash(latest.RootHash), old.TreeSize, tlog.Hash(latest.RootHash)))
	_, err = viewer.ConsistencyProof(ctx, latest.TreeSize, old.TreeSize)
	assert.Equal(t, http.StatusBadRequest, apiStatus(err), "from above to")
	_, err = viewer.ConsistencyProof(ctx, old.TreeSize, latest.TreeSize+1)
	assert.Equal(t, http.StatusNotFound, apiStatus(err), "a size no checkpoint has")
}

// checkpoint returns the newest checkpoint, signing one first when there is none.
func (w *matrixWorld) checkpoint() audit.Checkpoint {
	w.t.Helper()
	if cp, err := w.ledger.Audit.LatestCheckpoint(w.t.Context()); err == nil {
		return cp
	}
	return w.ledger.Checkpoint(w.t)
}

// checkpointedEvent returns the id of an event a checkpoint covers: leaf 0.
func (w *matrixWorld) checkpointedEvent() string {
	w.t.Helper()
	w.checkpoint()
	leaves, err := w.ledger.Audit.Leaves(w.t.Context(), 0, 1)
	require.NoError(w.t, err)
	require.Len(w.t, leaves, 1)
	return leaves[0].EventID.String()
}
