package events_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
)

// testTime is a fixed event time for reproducible tests.
var testTime = time.Date(2026, 11, 24, 9, 30, 0, 123456789, time.UTC)

// proposal returns a proposed event of a command, with JSON data of
// roughly dataSize bytes (at least a small object).
func proposal(commandID uuid.UUID, index, dataSize int) events.Proposed {
	pad := max(dataSize-40, 0)
	return events.Proposed{
		ID:   events.EventID(commandID, index),
		Type: "CertificateIssued",
		Data: fmt.Appendf(nil, `{"serial":"%08d","pad":"%s"}`, index, strings.Repeat("x", pad)),
		Metadata: events.Metadata{
			SchemaVersion: 1,
			OccurredAt:    testTime.Add(time.Duration(index) * time.Second),
			Actor:         events.Actor{Subject: "alice@example.com", Roles: []string{"SEC_OPS"}, Team: "pki"},
			CorrelationID: commandID.String(),
			CausationID:   commandID.String(),
		},
	}
}

// sealStream seals n events into stream and returns them as stored, with
// the hash Seal returned for each.
func sealStream(t testing.TB, stream string, n, dataSize int) ([]events.Raw, []events.Hash) {
	t.Helper()
	var (
		raws   []events.Raw
		hashes []events.Hash
		prev   events.Hash
	)
	cmd := uuid.NewSHA1(uuid.NameSpaceURL, []byte(stream))
	for i := range n {
		p := proposal(cmd, i, dataSize)
		stored, h, err := events.Seal(stream, uint64(i), prev, p)
		require.NoError(t, err)
		raws = append(raws, events.Raw{
			Stream: stream, Revision: uint64(i), ID: p.ID, Type: p.Type,
			Data: p.Data, StoredMetadata: stored, Recorded: testTime,
		})
		hashes = append(hashes, h)
		prev = h
	}
	return raws, hashes
}

// interleave returns the events of all streams round-robin, as $all might
// order them, with increasing positions.
func interleave(streams ...[]events.Raw) []events.Raw {
	var out []events.Raw
	for i := 0; ; i++ {
		added := false
		for _, s := range streams {
			if i < len(s) {
				r := s[i]
				r.Position = uint64(len(out)+1) * 100
				out = append(out, r)
				added = true
			}
		}
		if !added {
			return out
		}
	}
}

// cloneRaws deep-copies events so a test can tamper with them.
func cloneRaws(in []events.Raw) []events.Raw {
	out := make([]events.Raw, len(in))
	for i, r := range in {
		r.Data = slices.Clone(r.Data)
		r.StoredMetadata = slices.Clone(r.StoredMetadata)
		out[i] = r
	}
	return out
}

// seqOf yields the events as a sequence without errors.
func seqOf(raws []events.Raw) func(func(events.Raw, error) bool) {
	return func(yield func(events.Raw, error) bool) {
		for _, r := range raws {
			if !yield(r, nil) {
				return
			}
		}
	}
}
