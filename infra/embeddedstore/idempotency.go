package embeddedstore

import (
	"math"

	"github.com/google/uuid"
)

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
