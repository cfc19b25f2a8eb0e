package events

import (
	"errors"
	"iter"
	"sync"
	"sync/atomic"
)

// parallelBatch is how many events a ParallelVerifier hands a worker at once.
const parallelBatch = 256

// ParallelVerifier checks hash chains like a Verifier, with the streams spread over several
// goroutines so that hashing uses every core. Every event of a stream goes to the same worker,
// so each chain is still checked in revision order. Add and Close must be called from one
// goroutine.
type ParallelVerifier struct {
	workers []*verifyWorker
	added   uint64      // events added so far; an event's number orders the breaks
	failed  atomic.Bool // some worker found a break
	wg      sync.WaitGroup
}

type verifyWorker struct {
	v       *Verifier
	in      chan []numberedRaw
	pending []numberedRaw
	err     error
	errAt   uint64 // number of the event that broke, valid when err != nil
}

type numberedRaw struct {
	n uint64
	r Raw
}

// NewParallelVerifier starts a verifier with the given number of workers (at least one).
func NewParallelVerifier(workers int) *ParallelVerifier {
	p := &ParallelVerifier{}
	for i := 0; i < max(workers, 1); i++ {
		w := &verifyWorker{v: NewVerifier(), in: make(chan []numberedRaw, 4)}
		p.workers = append(p.workers, w)
		p.wg.Add(1)
		go p.run(w)
	}
	return p
}

func (p *ParallelVerifier) run(w *verifyWorker) {
	defer p.wg.Done()
	for batch := range w.in {
		for _, e := range batch {
			if w.err != nil {
				break
			}
			if err := w.v.Add(e.r); err != nil {
				w.err, w.errAt = err, e.n
				p.failed.Store(true)
			}
		}
	}
}

// Add hands the next event to the worker of its stream. It returns false once some chain was
// found broken: the caller may stop adding, since Close reports the first break among the
// events added so far.
func (p *ParallelVerifier) Add(r Raw) bool {
	w := p.workers[int(fnv32a(r.Stream)%uint32(len(p.workers)))]
	w.pending = append(w.pending, numberedRaw{n: p.added, r: r})
	p.added++
	if len(w.pending) == parallelBatch {
		w.in <- w.pending
		w.pending = make([]numberedRaw, 0, parallelBatch)
	}
	return !p.failed.Load()
}

// Close waits for the workers and returns what they checked, and the break that comes first in
// the order the events were added, as a *ChainError.
func (p *ParallelVerifier) Close() (Stats, error) {
	for _, w := range p.workers {
		if len(w.pending) > 0 {
			w.in <- w.pending
		}
		close(w.in)
	}
	p.wg.Wait()
	var total Stats
	var first *verifyWorker
	for _, w := range p.workers {
		s := w.v.Stats()
		total.Events += s.Events
		total.Streams += s.Streams
		total.Skipped += s.Skipped
		if w.err != nil && (first == nil || w.errAt < first.errAt) {
			first = w
		}
	}
	if first != nil {
		return total, first.err
	}
	return total, nil
}

// fnv32a hashes a stream name to pick its worker.
func fnv32a(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

// VerifyParallel is Verify with the hashing spread over workers goroutines.
func VerifyParallel(events iter.Seq2[Raw, error], workers int) (Stats, error) {
	p := NewParallelVerifier(workers)
	var readErr error
	for r, err := range events {
		if err != nil {
			readErr = err
			break
		}
		if !p.Add(r) {
			break
		}
	}
	stats, err := p.Close()
	return stats, errors.Join(err, readErr)
}
