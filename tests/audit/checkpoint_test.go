package audit_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// honestLedger appends A@0, A@1, B@0, C@0, B@1, C@1 (leaves 0 to 5) and signs a checkpoint of
// them.
func honestLedger(t *testing.T, w *world) (a, b, c string) {
	t.Helper()
	s := streams(3)
	a, b, c = s[0], s[1], s[2]
	w.appendTo(a, 2)
	w.appendTo(b, 1)
	w.appendTo(c, 1)
	w.appendTo(b, 1)
	w.appendTo(c, 1)
	require.Equal(t, int64(6), w.checkpoint())
	code, out := w.verify()
	require.Equal(t, 0, code, out)
	require.Contains(t, out, "1 checkpoints verified up to tree size 6")
	return a, b, c
}

// What a checkpoint catches: history it covers changed afterwards. Here a forger inserts an event
// into stream A, sealed into A's chain as the ledger would, in the middle of $all: every hash
// chain is intact, so only the checkpoint signed before the forgery catches it, naming the leaf
// where $all now differs from the signed tree and the forged event.
func TestACheckpointCatchesAnEventInsertedIntoTheHistoryItCovers(t *testing.T) {
	w := newWorld(t)
	a, b, _ := honestLedger(t, w)
	var forged string
	w.tamper(func(dir string) { forged = insertForgery(t, dir, a).String() })

	code, out := w.verify()
	assert.Equal(t, 1, code, out)
	assert.NotContains(t, out, "BROKEN: stream", "the chains alone do not catch it")
	assert.Contains(t, out, "BROKEN: checkpoint revision 0 (tree size 6, signed at ")
	assert.Regexp(t, regexp.MustCompile(regexp.QuoteMeta("; leaf 2 differs: the checkpointed tree has "+b+"@0 there (event ")+
		`[0-9a-f-]{36}`+regexp.QuoteMeta(", position 3), $all now has "+a+"@2 (event "+forged+", position 3)")), out)
}

// What a checkpoint does not catch: an event appended through the store's API, chained as the
// ledger would, after the last checkpoint. It extends $all like any append, so the checkpoint
// before it still holds and the next one covers it: no checkpoint can tell it from a command's
// event. Once covered, though, it cannot be taken back unnoticed.
func TestAnEventAppendedThroughTheStoreIsCoveredNotCaught(t *testing.T) {
	w := newWorld(t)
	a, _, _ := honestLedger(t, w)
	w.appendTo(a, 1) // behind the ledger's back: no command, but a perfect chain
	require.Equal(t, int64(7), w.checkpoint())
	code, out := w.verify()
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "2 checkpoints verified up to tree size 7")

	w.tamper(func(dir string) { removeEvents(t, dir, a, 2) })
	code, out = w.verify()
	assert.Equal(t, 1, code, out)
	assert.Contains(t, out, "BROKEN: checkpoint revision 1 (tree size 7, signed at ")
	assert.Contains(t, out, "$all holds only 6 ledger events now: events were removed; leaf 6 is gone: the checkpointed tree has "+a+"@2 there")
}

// A stream deleted through the store's API stays in $all on the embedded store (as on
// EventStoreDB until a scavenge), so the tree does not change; the deletion leaves its own
// mark, which audit verify names. Once the events are gone from $all too, the checkpoint
// names the first of them.
func TestAuditVerifyNamesADeletedStream(t *testing.T) {
	for _, tc := range []struct {
		name   string
		delete func(c *esdb.Client, stream string) error
		want   string
	}{
		{"soft delete", func(c *esdb.Client, stream string) error {
			_, err := c.DeleteStream(context.Background(), stream, esdb.DeleteStreamOptions{ExpectedRevision: esdb.Any{}})
			return err
		}, "BROKEN: stream %s was deleted or truncated through the store: a $metadata event at position 8 sets {\"$tb\":2}\n"},
		{"tombstone", func(c *esdb.Client, stream string) error {
			_, err := c.TombstoneStream(context.Background(), stream, esdb.TombstoneStreamOptions{ExpectedRevision: esdb.Any{}})
			return err
		}, "BROKEN: stream %s was tombstoned through the store: a $streamDeleted event at position 8\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			_, b, _ := honestLedger(t, w)
			require.NoError(t, tc.delete(w.client, b))
			history, _, err := w.store.Load(context.Background(), b)
			if err == nil {
				assert.Empty(t, history, "the ledger no longer sees the stream")
			}
			inAll := 0
			for raw, err := range w.store.ReadAll(context.Background(), 0) {
				require.NoError(t, err)
				if raw.Stream == b && raw.Type == "CertificateNoted" {
					inAll++
				}
			}
			assert.Equal(t, 2, inAll, "$all still holds the deleted stream's events")

			code, out := w.verify()
			assert.Equal(t, 1, code, out)
			assert.Equal(t, fmt.Sprintf(tc.want, b), out)
		})
	}
	t.Run("events gone from $all", func(t *testing.T) {
		w := newWorld(t)
		_, b, c := honestLedger(t, w)
		w.tamper(func(dir string) { removeEvents(t, dir, b, 0) })
		code, out := w.verify()
		assert.Equal(t, 1, code, out)
		assert.NotContains(t, out, "BROKEN: stream", "the chains alone do not catch it")
		assert.Contains(t, out, "BROKEN: checkpoint revision 0 (tree size 6, signed at ")
		assert.Contains(t, out, "leaf 2 differs: the checkpointed tree has "+b+"@0 there")
		assert.Contains(t, out, "$all now has "+c+"@0")
	})
}

// A stream rewritten in storage and sealed again keeps intact chains; the checkpoint names it.
func TestAuditVerifyNamesARewrittenStream(t *testing.T) {
	w := newWorld(t)
	_, b, _ := honestLedger(t, w)
	w.tamper(func(dir string) { rewriteStream(t, dir, b) })
	code, out := w.verify()
	assert.Equal(t, 1, code, out)
	assert.NotContains(t, out, "BROKEN: stream", "the chains alone do not catch it")
	assert.Contains(t, out, "BROKEN: checkpoint revision 0 (tree size 6, signed at ")
	assert.Regexp(t, regexp.MustCompile(regexp.QuoteMeta("; leaf 2 differs: "+b+"@0 (event ")+`[0-9a-f-]{36}`+
		regexp.QuoteMeta(", position 3) was changed: its chain hash is ")+`[0-9a-f]{64} now, [0-9a-f]{64} when it was checkpointed\n$`), out)
}
