package embeddedstore

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"google.golang.org/protobuf/proto"
)

// tombstoneRevision is the revision EventStoreDB gives a stream's $streamDeleted event.
const tombstoneRevision = math.MaxInt64

// put adds one event to the batch at the next position and returns that position.
func (tx *writeTx) put(stream string, rev uint64, e proposed) (uint64, error) {
	pos := tx.nextPos
	record := &api.ReadResp_ReadEvent_RecordedEvent{
		Id:               structuredID(e.id),
		StreamIdentifier: &shared.StreamIdentifier{StreamName: []byte(stream)},
		StreamRevision:   rev,
		PreparePosition:  pos,
		CommitPosition:   pos,
		Metadata: map[string]string{
			"type":         e.eventType,
			"content-type": e.contentType,
			// .NET ticks (100 ns) since the Unix epoch, as the client expects.
			"created": strconv.FormatInt(time.Now().UnixNano()/100, 10),
		},
		CustomMetadata: e.custom,
		Data:           e.data,
	}
	raw, err := proto.Marshal(record)
	if err != nil {
		return 0, fmt.Errorf("encode event: %w", err)
	}
	if err := tx.batch.Set(allKey(pos), raw, nil); err != nil {
		return 0, fmt.Errorf("%w: %v", errBatch, err)
	}
	if rev != tombstoneRevision {
		if err := tx.batch.Set(revKey(stream, rev), encodeUint64(pos), nil); err != nil {
			return 0, fmt.Errorf("%w: %v", errBatch, err)
		}
		tx.newIDs = append(tx.newIDs, newID{e.id, eventRef{stream, rev}, pos})
	}
	tx.nextPos++
	return pos, nil
}

func (tx *writeTx) setState(stream string, st streamState) error {
	if err := tx.batch.Set(streamKey(stream), st.encode(), nil); err != nil {
		return fmt.Errorf("%w: %v", errBatch, err)
	}
	tx.pending[stream] = st
	return nil
}

// idempotentRetry recognises an append whose events are already stored where the request says
// they go, as EventStoreDB does: then the append succeeds without writing anything.
func (tx *writeTx) idempotentRetry(r *writeRequest, st streamState) (writeResult, bool, error) {
	if len(r.events) == 0 {
		return writeResult{}, false, nil
	}
	var start uint64
	switch r.expect.kind {
	case expectRevision:
		if r.expect.revision == math.MaxUint64 {
			return writeResult{}, false, nil
		}
		start = r.expect.revision + 1
	case expectNoStream:
		start = 0
	default:
		rev, found, err := tx.revisionOf(r.stream, r.events[0].id)
		if err != nil || !found {
			return writeResult{}, false, err
		}
		start = rev
	}
	if start >= st.next || st.next-start < uint64(len(r.events)) {
		return writeResult{}, false, nil
	}
	var pos uint64
	for k, e := range r.events {
		var err error
		var id uuid.UUID
		pos, id, err = tx.eventAt(r.stream, start+uint64(k))
		if err != nil || id != e.id {
			return writeResult{}, false, err
		}
	}
	return writeResult{lastRev: start + uint64(len(r.events)) - 1, position: pos}, true, nil
}

// revisionOf finds where a recent event id went in a stream, looking at this group's own events
// first.
func (tx *writeTx) revisionOf(stream string, id uuid.UUID) (uint64, bool, error) {
	for _, n := range tx.newIDs {
		if n.id == id {
			return n.ref.revision, n.ref.stream == stream, nil
		}
	}
	ref, ok := tx.recent.get(id)
	return ref.revision, ok && ref.stream == stream, nil
}

// eventAt returns the position and id of a stream's event, looking at this group's own events
// first.
func (tx *writeTx) eventAt(stream string, rev uint64) (uint64, uuid.UUID, error) {
	for _, n := range tx.newIDs {
		if n.ref == (eventRef{stream, rev}) {
			return n.pos, n.id, nil
		}
	}
	pos, found, err := loadPosition(tx.db, revKey(stream, rev))
	if err != nil || !found {
		return 0, uuid.Nil, err
	}
	e, err := loadEvent(tx.db, pos)
	if err != nil {
		return 0, uuid.Nil, err
	}
	id, err := parseEventID(e.Id)
	return pos, id, err
}

// softDelete hides the stream's events from readers; appends may recreate it and continue its
// revisions. As in EventStoreDB the deletion is a $metadata event in the $$stream setting $tb.
func (tx *writeTx) softDelete(r *writeRequest, st streamState) writeResult {
	if !r.expect.holds(st) {
		return writeResult{state: st, wrongState: true}
	}
	st.truncateBefore = st.next
	meta := "$$" + r.stream
	mst, err := tx.state(meta)
	if err != nil {
		return writeResult{err: err}
	}
	data := []byte(fmt.Sprintf(`{"$tb":%d}`, st.truncateBefore))
	pos, err := tx.put(meta, mst.next, proposed{id: uuid.New(), eventType: "$metadata", contentType: "application/json", data: data, custom: []byte{}})
	if err != nil {
		return writeResult{err: err}
	}
	mst.next++
	if err := tx.setState(meta, mst); err != nil {
		return writeResult{err: err}
	}
	if err := tx.setState(r.stream, st); err != nil {
		return writeResult{err: err}
	}
	return writeResult{state: st, position: pos, wrote: true}
}

// tombstone deletes the stream for ever with a $streamDeleted event.
func (tx *writeTx) tombstone(r *writeRequest, st streamState) writeResult {
	if !r.expect.holds(st) {
		return writeResult{state: st, wrongState: true}
	}
	st.tombstoned = true
	pos, err := tx.put(r.stream, tombstoneRevision, proposed{id: uuid.New(), eventType: "$streamDeleted", contentType: "application/octet-stream", data: []byte{}, custom: []byte{}})
	if err != nil {
		return writeResult{err: err}
	}
	if err := tx.setState(r.stream, st); err != nil {
		return writeResult{err: err}
	}
	return writeResult{state: st, position: pos, wrote: true}
}
