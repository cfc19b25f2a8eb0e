package embeddedstore

import (
	"encoding/binary"
	"fmt"
)

// The Pebble key space. Every append writes, in one atomic batch:
//
//	a<pos>            → the recorded event (protobuf RecordedEvent), the $all log
//	r<stream>\x00<rev> → pos, the stream index
//	m<stream>         → the stream's state (streamState)
//
// Positions and revisions are big-endian so that byte order is numeric order.
const (
	prefixAll    = 'a'
	prefixRev    = 'r'
	prefixStream = 'm'
)

func allKey(pos uint64) []byte {
	k := make([]byte, 9)
	k[0] = prefixAll
	binary.BigEndian.PutUint64(k[1:], pos)
	return k
}

func revKeyPrefix(stream string) []byte {
	k := make([]byte, 0, len(stream)+2+8)
	k = append(k, prefixRev)
	k = append(k, stream...)
	return append(k, 0)
}

func revKey(stream string, rev uint64) []byte {
	return binary.BigEndian.AppendUint64(revKeyPrefix(stream), rev)
}

func streamKey(stream string) []byte {
	return append([]byte{prefixStream}, stream...)
}

func encodeUint64(v uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, v)
}

func decodeUint64(b []byte) (uint64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("corrupt index value: %d bytes, want 8", len(b))
	}
	return binary.BigEndian.Uint64(b), nil
}

// streamState is what the store knows of one stream.
type streamState struct {
	// next is the revision the next appended event gets: the number of events ever appended.
	next uint64
	// truncateBefore hides revisions below it after a soft delete.
	truncateBefore uint64
	// tombstoned streams can never be read or written again.
	tombstoned bool
}

// exists tells whether the stream has events that a reader can see.
func (s streamState) exists() bool {
	return s.next > 0 && s.next > s.truncateBefore
}

// lastRevision is the revision of the newest event; only meaningful when next > 0.
func (s streamState) lastRevision() uint64 { return s.next - 1 }

func (s streamState) encode() []byte {
	b := make([]byte, 17)
	binary.BigEndian.PutUint64(b, s.next)
	binary.BigEndian.PutUint64(b[8:], s.truncateBefore)
	if s.tombstoned {
		b[16] = 1
	}
	return b
}

func decodeStreamState(b []byte) (streamState, error) {
	if len(b) != 17 {
		return streamState{}, fmt.Errorf("corrupt stream state: %d bytes, want 17", len(b))
	}
	return streamState{
		next:           binary.BigEndian.Uint64(b),
		truncateBefore: binary.BigEndian.Uint64(b[8:]),
		tombstoned:     b[16] == 1,
	}, nil
}
