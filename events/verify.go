package events

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"iter"
)

// Stats counts what a Verifier has checked.
type Stats struct {
	// Events is the number of ledger events verified.
	Events uint64
	// Streams is the number of distinct ledger streams verified.
	Streams int
	// Skipped is the number of events in system streams, which are not
	// part of the ledger and were not checked.
	Skipped uint64
}

// chainHead is the last verified event of a stream.
type chainHead struct {
	revision uint64
	hash     Hash
}

// Verifier checks the hash chains of the streams in a sequence of raw
// events, such as a read of $all. Events of each stream must arrive in
// revision order from revision 0; events of different streams may be
// interleaved. Events in system streams are skipped. A Verifier is not
// safe for concurrent use.
type Verifier struct {
	heads  map[string]*chainHead
	hasher *chainHasher
	hexBuf [hashHexLen]byte
	stats  Stats
	err    *ChainError
}

// NewVerifier returns a Verifier that has seen no events.
func NewVerifier() *Verifier {
	return &Verifier{heads: make(map[string]*chainHead), hasher: newChainHasher()}
}

// Add verifies the next event. It returns a *ChainError if the event's
// revision does not follow its stream's last one, its stored prev_hash is
// not the hash of that event, its stored metadata is malformed, or its
// stored hash is not the hash recomputed from its bytes. After the first
// failure the Verifier keeps returning that error and checks nothing more.
func (v *Verifier) Add(r Raw) error {
	if v.err != nil {
		return v.err
	}
	if IsSystemStream(r.Stream) {
		v.stats.Skipped++
		return nil
	}
	if reason := v.check(r); reason != "" {
		v.err = &ChainError{Stream: r.Stream, Revision: r.Revision, Reason: reason}
		return v.err
	}
	return nil
}

// check verifies r and records it as its stream's head, or returns why it
// fails.
func (v *Verifier) check(r Raw) string {
	last, seen := v.heads[r.Stream]
	var want uint64
	var prev Hash
	if seen {
		want, prev = last.revision+1, last.hash
	}
	if r.Revision != want {
		return fmt.Sprintf("out of sequence: want revision %d", want)
	}
	tail, err := splitStored(r.StoredMetadata)
	if err == nil {
		err = checkLengths(r.Stream, r.Type, r.Data, tail.open)
	}
	if err != nil {
		return err.Error()
	}
	hex.Encode(v.hexBuf[:], prev[:])
	if !bytes.Equal(tail.prevHex, v.hexBuf[:]) {
		return "prev_hash mismatch"
	}
	h := v.hasher.chainHash(prev, r.Stream, r.Revision, r.ID, r.Type, r.Data, tail.open)
	hex.Encode(v.hexBuf[:], h[:])
	if !bytes.Equal(tail.hashHex, v.hexBuf[:]) {
		return "hash mismatch"
	}

	if seen {
		last.revision, last.hash = r.Revision, h
	} else {
		v.heads[r.Stream] = &chainHead{revision: r.Revision, hash: h}
		v.stats.Streams++
	}
	v.stats.Events++
	return ""
}

// Stats returns what the Verifier has checked so far.
func (v *Verifier) Stats() Stats {
	return v.stats
}

// Head returns the revision and hash of the last verified event of stream,
// and false if no event of stream has been verified.
func (v *Verifier) Head(stream string) (revision uint64, h Hash, ok bool) {
	last, ok := v.heads[stream]
	if !ok {
		return 0, Hash{}, false
	}
	return last.revision, last.hash, true
}

// Verify checks the hash chains of all streams in events with a new
// Verifier. It returns the first *ChainError, or the first error the
// sequence yields, wrapped, together with what was verified until then.
func Verify(events iter.Seq2[Raw, error]) (Stats, error) {
	v := NewVerifier()
	for r, err := range events {
		if err != nil {
			return v.Stats(), fmt.Errorf("verify: read events: %w", err)
		}
		if err := v.Add(r); err != nil {
			return v.Stats(), err
		}
	}
	return v.Stats(), nil
}
