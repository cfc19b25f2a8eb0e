package embeddedstore

import "github.com/google/uuid"

// recentIDsLimit is how many of the newest event ids the writer remembers for idempotent retries
// with expected revision "any" or "stream_exists".
const recentIDsLimit = 200_000

// eventRef is where an event is stored.
type eventRef struct {
	stream   string
	revision uint64
}

// recentIDs remembers where the newest event ids went, as EventStoreDB's in-memory commit cache
// does: a retry of a recent append with expected revision "any" is recognised; after a restart,
// or many appends later, it is not. Retries with an exact expected revision or "no_stream" need no
// memory and are always recognised. Only the writer uses it.
type recentIDs struct {
	refs  map[uuid.UUID]eventRef
	order []uuid.UUID // ring buffer of the remembered ids, oldest at next
	next  int
}

func newRecentIDs() *recentIDs {
	return &recentIDs{refs: make(map[uuid.UUID]eventRef), order: make([]uuid.UUID, 0, recentIDsLimit)}
}

func (r *recentIDs) get(id uuid.UUID) (eventRef, bool) {
	ref, ok := r.refs[id]
	return ref, ok
}

func (r *recentIDs) put(id uuid.UUID, ref eventRef) {
	if _, known := r.refs[id]; known {
		r.refs[id] = ref
		return
	}
	if len(r.order) < recentIDsLimit {
		r.order = append(r.order, id)
	} else {
		delete(r.refs, r.order[r.next])
		r.order[r.next] = id
		r.next = (r.next + 1) % recentIDsLimit
	}
	r.refs[id] = ref
}

// forget drops everything, after a failed write made the memory untrustworthy.
func (r *recentIDs) forget() {
	r.refs = make(map[uuid.UUID]eventRef)
	r.order = r.order[:0]
	r.next = 0
}
