package audit_test

import (
	"testing"

	"github.com/cockroachdb/pebble/v2"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// insertForgery forges the next event of stream — sealed into its chain exactly as the ledger
// would, so every hash chain stays intact — and inserts it into $all right after the stream's
// last event, moving every later event one position on. It returns the forgery's id.
func insertForgery(t *testing.T, dir, stream string) uuid.UUID {
	t.Helper()
	id := uuid.New()
	withDB(t, dir, func(db *pebble.DB, b *pebble.Batch) {
		all := records(t, db)
		last := -1
		for i, e := range all {
			if string(e.StreamIdentifier.StreamName) == stream {
				last = i
			}
		}
		require.GreaterOrEqual(t, last, 0, "stream %s has events", stream)
		tip := all[last]
		forged, _ := reseal(t, tip, id, tip.StreamRevision+1, hashOf(t, tip), []byte(`{"n":"forged"}`))
		forged.CommitPosition, forged.PreparePosition = tip.CommitPosition+1, tip.CommitPosition+1
		for _, e := range all[last+1:] {
			e.CommitPosition, e.PreparePosition = e.CommitPosition+1, e.PreparePosition+1
			put(t, b, e)
		}
		put(t, b, forged)
		setNext(t, b, stream, forged.StreamRevision+1)
	})
	return id
}

// removeEvents deletes the events of stream from revision from on, as a scavenge after a delete
// (or an attacker) would; later positions are left as they are.
func removeEvents(t *testing.T, dir, stream string, from uint64) {
	t.Helper()
	withDB(t, dir, func(db *pebble.DB, b *pebble.Batch) {
		for _, e := range records(t, db) {
			if string(e.StreamIdentifier.StreamName) == stream && e.StreamRevision >= from {
				require.NoError(t, b.Delete(allKey(e.CommitPosition), nil))
				require.NoError(t, b.Delete(revKey(stream, e.StreamRevision), nil))
			}
		}
		setNext(t, b, stream, from)
	})
}

// rewriteStream changes the data of stream's first event and seals the whole stream again, so
// that its chain is intact; ids and positions stay.
func rewriteStream(t *testing.T, dir, stream string) {
	t.Helper()
	withDB(t, dir, func(db *pebble.DB, b *pebble.Batch) {
		var prev [32]byte
		for _, e := range records(t, db) {
			if string(e.StreamIdentifier.StreamName) != stream {
				continue
			}
			data := e.Data
			if e.StreamRevision == 0 {
				data = []byte(`{"n":"rewritten"}`)
			}
			out, h := reseal(t, e, rawOf(e).ID, e.StreamRevision, prev, data)
			put(t, b, out)
			prev = h
		}
	})
}
