package main

import "github.com/certledger/certledger/events"

// treeFeed runs add in a goroutine of its own, fed in batches, so that the tree (ParseEnvelope
// and two SHA-256 per leaf) overlaps reading $all and checking the chains.
type treeFeed struct {
	a     *checkpointAudit
	batch []events.Raw
	in    chan []events.Raw
	done  chan error
}

const treeBatch = 256

func (a *checkpointAudit) feed() *treeFeed {
	f := &treeFeed{a: a, batch: make([]events.Raw, 0, treeBatch), in: make(chan []events.Raw, 4), done: make(chan error, 1)}
	go func() {
		var err error
		for batch := range f.in {
			for _, raw := range batch {
				if err == nil {
					err = a.add(raw)
				}
			}
		}
		f.done <- err
	}()
	return f
}

// add queues raw for the tree.
func (f *treeFeed) add(raw events.Raw) {
	f.batch = append(f.batch, raw)
	if len(f.batch) == treeBatch {
		f.in <- f.batch
		f.batch = make([]events.Raw, 0, treeBatch)
	}
}

// close waits until the tree has every queued event, and returns its first error.
func (f *treeFeed) close() error {
	if len(f.batch) > 0 {
		f.in <- f.batch
	}
	close(f.in)
	return <-f.done
}
