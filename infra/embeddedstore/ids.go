package embeddedstore

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	"github.com/google/uuid"
)

func empty() *shared.Empty { return &shared.Empty{} }

// parseEventID reads an event id in either of the protocol's two forms.
func parseEventID(id *shared.UUID) (uuid.UUID, error) {
	if s := id.GetStructured(); s != nil {
		var u uuid.UUID
		binary.BigEndian.PutUint64(u[:8], uint64(s.MostSignificantBits))
		binary.BigEndian.PutUint64(u[8:], uint64(s.LeastSignificantBits))
		return u, nil
	}
	if id.GetValue() == nil {
		return uuid.Nil, fmt.Errorf("event id is missing")
	}
	u, err := uuid.Parse(id.GetString_())
	if err != nil {
		return uuid.Nil, fmt.Errorf("event id %q is not a UUID: %w", id.GetString_(), err)
	}
	return u, nil
}

// structuredID is the form the store keeps ids in.
func structuredID(u uuid.UUID) *shared.UUID {
	return &shared.UUID{Value: &shared.UUID_Structured_{Structured: &shared.UUID_Structured{
		MostSignificantBits:  int64(binary.BigEndian.Uint64(u[:8])),
		LeastSignificantBits: int64(binary.BigEndian.Uint64(u[8:])),
	}}}
}

// stringID is the form a reader gets when it asks for string ids.
func stringID(id *shared.UUID) *shared.UUID {
	u, err := parseEventID(id)
	if err != nil {
		return id
	}
	return &shared.UUID{Value: &shared.UUID_String_{String_: u.String()}}
}

// streamName validates a stream identifier from a request.
func streamName(id *shared.StreamIdentifier) (string, error) {
	if id == nil || len(id.StreamName) == 0 {
		return "", fmt.Errorf("stream name is missing")
	}
	name := string(id.StreamName)
	if strings.IndexByte(name, 0) >= 0 {
		return "", fmt.Errorf("stream name contains a NUL byte")
	}
	if name == allStreamName {
		return "", fmt.Errorf("%s cannot be written to or read as a stream; use the $all options", allStreamName)
	}
	return name, nil
}

const allStreamName = "$all"
