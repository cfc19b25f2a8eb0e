package embeddedstore

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/cockroachdb/pebble/v2"
	"github.com/google/uuid"
	"google.golang.org/protobuf/proto"
)

// writeTx decides the requests of one group against the states they leave for each other.
type writeTx struct {
	db      *pebble.DB // sees every group applied so far, durable or not
	batch   *pebble.Batch
	cache   *streamCache
	recent  *recentIDs
	pending map[string]streamState
	newIDs  []newID // the ids this group writes, for retries within the group
	nextPos uint64
}

// newID is an event id written by the group being decided.
type newID struct {
	id  uuid.UUID
	ref eventRef
	pos uint64
}

func (tx *writeTx) state(stream string) (streamState, error) {
	if st, ok := tx.pending[stream]; ok {
		return st, nil
	}
	if st, ok := tx.cache.get(stream); ok {
		return st, nil
	}
	st, err := loadStreamState(tx.db, stream)
	if err == nil {
		tx.cache.put(stream, st)
	}
	return st, err
}

func (tx *writeTx) apply(r *writeRequest) writeResult {
	st, err := tx.state(r.stream)
	if err != nil {
		return writeResult{err: err}
	}
	if st.tombstoned {
		return writeResult{state: st, deleted: true}
	}
	switch r.op {
	case opDelete:
		return tx.softDelete(r, st)
	case opTombstone:
		return tx.tombstone(r, st)
	}
	if res, ok, err := tx.idempotentRetry(r, st); err != nil || ok {
		return writeResult{state: st, lastRev: res.lastRev, position: res.position, wrote: ok, err: err}
	}
	if !r.expect.holds(st) {
		return writeResult{state: st, wrongState: true}
	}
	if len(r.events) == 0 {
		return writeResult{state: st}
	}
	var pos uint64
	for _, e := range r.events {
		pos, err = tx.put(r.stream, st.next, e)
		if err != nil {
			return writeResult{err: err}
		}
		st.next++
	}
	if err := tx.setState(r.stream, st); err != nil {
		return writeResult{err: err}
	}
	return writeResult{state: st, position: pos, lastRev: st.lastRevision(), wrote: true}
}

var errBatch = errors.New("write to batch")

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
