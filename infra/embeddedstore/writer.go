package embeddedstore

import (
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/cockroachdb/pebble/v2"
	"github.com/google/uuid"
)

// writeOp says what a write request does.
type writeOp int

const (
	opAppend writeOp = iota
	opDelete
	opTombstone
)

// proposed is one validated event of an append request.
type proposed struct {
	id          uuid.UUID
	eventType   string
	contentType string
	custom      []byte
	data        []byte
}

// writeRequest is one append, delete or tombstone waiting for the writer.
type writeRequest struct {
	op     writeOp
	stream string
	expect expectation
	events []proposed
	done   chan writeResult
}

// writeResult is the writer's answer to one request.
type writeResult struct {
	state      streamState // the stream's state after the request (or when it failed)
	position   uint64      // position of the last event written, 0 when none
	lastRev    uint64      // revision of the last event written or matched
	wrote      bool        // events were written or matched (idempotent retry)
	wrongState bool        // the expectation did not hold
	deleted    bool        // the stream is tombstoned
	err        error       // storage failure
}

// maxGroup bounds how many requests share one fsync.
const maxGroup = 256

// writer is the only goroutine that writes to Pebble. It takes the requests waiting in its
// queue, decides each against the streams' states in order and writes them all in one batch
// (group commit). While that batch's fsync runs, the writer already decides the next group; the
// syncer answers the groups in order, each only after its fsync, and only then makes its events
// visible to readers through lastPos.
type writer struct {
	db       *pebble.DB
	requests chan *writeRequest
	synced   chan syncedGroup
	notify   *notifier
	streams  *streamCache
	recent   *recentIDs
	nextPos  uint64        // position of the next event; owned by the writer goroutine
	lastPos  atomic.Uint64 // newest durable position: readers see nothing beyond it
	broken   error         // set by the writer once a batch failed; later groups fail too
	finished chan struct{}
}

// syncedGroup is a group whose batch is applied and whose fsync is under way.
type syncedGroup struct {
	batch   *pebble.Batch
	group   []*writeRequest
	results []writeResult
	lastPos uint64
	applied bool // the batch went to Pebble and its fsync must be awaited
}

func newWriter(db *pebble.DB, lastPos uint64, n *notifier) *writer {
	w := &writer{
		db:       db,
		requests: make(chan *writeRequest, maxGroup),
		synced:   make(chan syncedGroup, 4),
		notify:   n,
		streams:  newStreamCache(),
		recent:   newRecentIDs(),
		nextPos:  lastPos + 1,
		finished: make(chan struct{}),
	}
	w.lastPos.Store(lastPos)
	return w
}

func (w *writer) run() {
	syncerDone := make(chan struct{})
	go w.syncer(syncerDone)
	defer func() {
		close(w.synced)
		<-syncerDone
		close(w.finished)
	}()
	for first := range w.requests {
		group := []*writeRequest{first}
	drain:
		for len(group) < maxGroup {
			select {
			case r, ok := <-w.requests:
				if !ok {
					break drain
				}
				group = append(group, r)
			default:
				break drain
			}
		}
		w.commit(group)
	}
}

// stop lets the writer finish the requests already queued and waits for it.
func (w *writer) stop() {
	close(w.requests)
	<-w.finished
}

func (w *writer) commit(group []*writeRequest) {
	b := w.db.NewBatch()
	tx := &writeTx{db: w.db, batch: b, cache: w.streams, recent: w.recent, pending: map[string]streamState{}, nextPos: w.nextPos}
	results := make([]writeResult, len(group))
	for i, r := range group {
		if w.broken != nil {
			results[i] = writeResult{err: w.broken}
			continue
		}
		results[i] = tx.apply(r)
	}
	applied := false
	if w.broken == nil && !b.Empty() {
		if err := w.db.ApplyNoSyncWait(b, pebble.Sync); err != nil {
			w.broken = fmt.Errorf("commit to storage: %w", err)
			w.streams.reset()
			w.recent.forget()
			failAll(results, w.broken)
		} else {
			w.streams.putAll(tx.pending)
			for _, n := range tx.newIDs {
				w.recent.put(n.id, n.ref)
			}
			w.nextPos = tx.nextPos
			applied = true
		}
	}
	w.synced <- syncedGroup{batch: b, group: group, results: results, lastPos: w.nextPos - 1, applied: applied}
}

// syncer waits for each group's fsync, in commit order, then publishes and answers it.
func (w *writer) syncer(done chan<- struct{}) {
	defer close(done)
	var broken error
	for g := range w.synced {
		if broken == nil && g.applied {
			broken = g.batch.SyncWait()
		}
		_ = g.batch.Close()
		if broken != nil {
			failAll(g.results, fmt.Errorf("sync to storage: %w", broken))
		} else if g.lastPos > w.lastPos.Load() {
			w.lastPos.Store(g.lastPos)
			w.notify.broadcast()
		}
		for i, r := range g.group {
			r.done <- g.results[i]
		}
	}
}

// failAll turns the answers of a group that could not be made durable into errors; conditions
// that failed anyway keep their answer, since nothing was written for them.
func failAll(results []writeResult, err error) {
	for i, res := range results {
		if res.wrote {
			results[i] = writeResult{err: err}
		}
	}
}

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
