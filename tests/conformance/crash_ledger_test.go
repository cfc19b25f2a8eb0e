package conformance_test

import (
	"bytes"
	"crypto/rand"
	"sync"
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// batch is one append: its events, and the revision of its first event.
type batch struct {
	id     uuid.UUID
	stream string
	first  uint64
	events []esdb.EventData
}

// newBatch returns n binary events whose data starts with the batch id, the event's index and n,
// so that a batch found after a crash can be checked for completeness without the ledger.
func newBatch(stream string, first uint64, n int) batch {
	b := batch{id: uuid.New(), stream: stream, first: first}
	for i := 0; i < n; i++ {
		ev := newEvent("Crash.Appended")
		pad := make([]byte, 16+int(ev.EventID[0])*2)
		_, _ = rand.Read(pad)
		ev.ContentType = esdb.ContentTypeBinary
		ev.Data = append(append(b.id[:], byte(i), byte(n)), pad...)
		b.events = append(b.events, ev)
	}
	return b
}

// ledger records the appends the store acknowledged, per stream.
type ledger struct {
	mu    sync.Mutex
	acked map[string][]batch
}

func (l *ledger) ack(b batch) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.acked[b.stream] = append(l.acked[b.stream], b)
}

// verify reads every stream back and requires: revisions 0..n-1 without gaps; every acknowledged
// event at its revision, byte-exact; every batch present whole or not at all. Batches that were
// not acknowledged but are present are added to the ledger: what was read must stay durable.
// It returns each stream's next revision and how many unacknowledged batches it found.
func (l *ledger) verify(t *testing.T, c *esdb.Client, streams []string) (next map[string]uint64, adopted int) {
	t.Helper()
	next = map[string]uint64{}
	for _, s := range streams {
		got, err := readStream(t, c, s, esdb.ReadStreamOptions{}, 1<<62)
		if err != nil && len(l.acked[s]) == 0 {
			requireCode(t, err, esdb.ErrorCodeResourceNotFound)
			continue
		}
		require.NoError(t, err, "read %s", s)
		require.Equal(t, seq(0, uint64(len(got)-1)), revisions(got), "revisions of %s have gaps", s)
		for _, b := range l.acked[s] {
			requireBatchAt(t, got, b)
		}
		adopted += l.adoptUnacked(t, s, got)
		next[s] = uint64(len(got))
	}
	return next, adopted
}

// requireBatchAt requires the acknowledged batch b at its revisions of the stream read back.
func requireBatchAt(t *testing.T, got []*esdb.RecordedEvent, b batch) {
	t.Helper()
	require.GreaterOrEqual(t, uint64(len(got)), b.first+uint64(len(b.events)),
		"acknowledged batch %s at %s@%d is lost", b.id, b.stream, b.first)
	for i, want := range b.events {
		ev := got[b.first+uint64(i)]
		require.Equal(t, want.EventID, ev.EventID, "event id at %s@%d", b.stream, ev.EventNumber)
		require.Equal(t, want.EventType, ev.EventType)
		require.True(t, bytes.Equal(want.Data, ev.Data), "data at %s@%d differs", b.stream, ev.EventNumber)
		require.True(t, bytes.Equal(want.Metadata, ev.UserMetadata), "metadata at %s@%d differs", b.stream, ev.EventNumber)
	}
}

// adoptUnacked checks that every batch in the stream is whole, in order, and records the ones the
// ledger does not know yet; it returns how many it recorded.
func (l *ledger) adoptUnacked(t *testing.T, stream string, got []*esdb.RecordedEvent) (adopted int) {
	t.Helper()
	known := map[uuid.UUID]bool{}
	for _, b := range l.acked[stream] {
		known[b.id] = true
	}
	for r := 0; r < len(got); {
		head := got[r].Data
		require.GreaterOrEqual(t, len(head), 18, "event %s@%d is not ours", stream, r)
		id, n := uuid.UUID(head[:16]), int(head[17])
		require.Zero(t, head[16], "batch %s starts mid-way at %s@%d: partial append", id, stream, r)
		require.LessOrEqual(t, r+n, len(got), "batch %s at %s@%d is cut short: partial append", id, stream, r)
		b := batch{id: id, stream: stream, first: uint64(r)}
		for i := 0; i < n; i++ {
			d := got[r+i].Data
			require.True(t, bytes.Equal(d[:16], id[:]) && int(d[16]) == i, "batch %s at %s@%d is interleaved", id, stream, r)
			b.events = append(b.events, esdb.EventData{EventID: got[r+i].EventID, EventType: got[r+i].EventType,
				Data: got[r+i].Data, Metadata: got[r+i].UserMetadata})
		}
		if !known[id] {
			l.ack(b)
			adopted++
		}
		r += n
	}
	return adopted
}
