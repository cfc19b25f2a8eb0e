package projections_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/projections"
)

// TestAReadModelAheadOfItsStoreIsRebuilt builds a read model from one store, then points the
// same database at a new, shorter store (the store replaced or restored from an older backup):
// the projection starts again from position 0, so none of the new store's events is skipped.
func TestAReadModelAheadOfItsStoreIsRebuilt(t *testing.T) {
	e := newEnv(t)
	last := e.appendEvents(t, "ca", "CARootCreated", 300, 10, 4)
	r := e.runner(t, []projections.Projection{counts{}})
	stop := start(t, r)
	waitLive(t, r, last)
	stop()
	require.Equal(t, uint64(300), e.sum(t, "rm_counts.stream_counts"))

	replaced := env{pool: e.pool, store: eventstore.New(storetest.Client(t, storetest.Start(t)))}
	newLast := replaced.appendEvents(t, "certificate", "CertificateRequested", 20, 5, 2)
	require.Less(t, newLast, e.checkpoint(t, "counts"), "the old checkpoint is beyond the new store's end")
	r2 := replaced.runner(t, []projections.Projection{counts{}})
	start(t, r2)
	waitLive(t, r2, newLast)
	assert.Equal(t, uint64(20), replaced.sum(t, "rm_counts.stream_counts"), "only the new store's events, every one of them")
	assert.Equal(t, []string{"(certificate,20)"}, replaced.rows(t, "rm_counts.stream_counts"))
}

// TestAReadModelOfAnotherStoreIsRebuiltEvenWhenThatStoreIsLonger: the new store has already
// grown past the old checkpoint, so only the store's identity (the id of its first event, kept
// with the checkpoint) tells that the positions belong to another store.
func TestAReadModelOfAnotherStoreIsRebuiltEvenWhenThatStoreIsLonger(t *testing.T) {
	e := newEnv(t)
	last := e.appendEvents(t, "ca", "CARootCreated", 20, 5, 2)
	r := e.runner(t, []projections.Projection{counts{}})
	stop := start(t, r)
	waitLive(t, r, last)
	stop()

	replaced := env{pool: e.pool, store: eventstore.New(storetest.Client(t, storetest.Start(t)))}
	newLast := replaced.appendEvents(t, "certificate", "CertificateRequested", 300, 10, 4)
	require.Greater(t, newLast, e.checkpoint(t, "counts"), "the new store is past the old checkpoint")
	r2 := replaced.runner(t, []projections.Projection{counts{}})
	start(t, r2)
	waitLive(t, r2, newLast)
	assert.Equal(t, []string{"(certificate,300)"}, replaced.rows(t, "rm_counts.stream_counts"),
		"every event of the new store, none of the old one's rows")
}
