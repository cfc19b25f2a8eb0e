package events

import (
	"encoding/binary"

	"github.com/google/uuid"
)

// idNamespace is the UUID namespace of the ledger's deterministic event ids.
// It is fixed forever: changing it would change every derived id.
var idNamespace = uuid.MustParse("0affe7f1-6769-4096-8bea-aa14f7bef77d")

// EventID returns the id of the event at index (0, 1, …) among the events
// appended by the command commandID. It is a version 5 UUID in the
// ledger's namespace 0affe7f1-6769-4096-8bea-aa14f7bef77d over the 16 bytes
// of commandID followed by index as a big-endian 64-bit two's-complement
// integer, so a retried command yields the same ids and distinct
// (command, index) pairs yield distinct names.
func EventID(commandID uuid.UUID, index int) uuid.UUID {
	var name [16 + 8]byte
	copy(name[:16], commandID[:])
	binary.BigEndian.PutUint64(name[16:], uint64(int64(index)))
	return uuid.NewSHA1(idNamespace, name[:])
}
