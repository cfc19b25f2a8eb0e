package embeddedstore

import (
	"fmt"
	"sync/atomic"

	"github.com/cockroachdb/pebble/v2"
)

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
