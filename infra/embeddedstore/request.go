package embeddedstore

import "github.com/google/uuid"

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
