package events_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
)

// specHash computes a chain hash straight from the encoding in the package
// documentation, independently of the package's code.
func specHash(prev events.Hash, stream string, revision uint64, id uuid.UUID, eventType string, data, body []byte) events.Hash {
	var b bytes.Buffer
	u32 := func(n int) { _ = binary.Write(&b, binary.BigEndian, uint32(n)) }
	b.WriteString("certledger/chain/v1\x00")
	b.Write(prev[:])
	u32(len(stream))
	b.WriteString(stream)
	_ = binary.Write(&b, binary.BigEndian, revision)
	b.Write(id[:])
	u32(len(eventType))
	b.WriteString(eventType)
	u32(len(data))
	b.Write(data)
	u32(len(body))
	b.Write(body)
	return sha256.Sum256(b.Bytes())
}

func TestSealFollowsSpecifiedEncoding(t *testing.T) {
	prev := events.Hash{1, 2, 3}
	p := events.Proposed{
		ID:   uuid.MustParse("7b0e1c2a-3d4f-4a5b-8c6d-9e0f1a2b3c4d"),
		Type: "CertificateIssued",
		Data: []byte(`{"serial": "01"}`),
		Metadata: events.Metadata{
			SchemaVersion: 2,
			OccurredAt:    testTime.In(time.FixedZone("CEST", 2*60*60)),
			Actor: events.Actor{
				Subject: "alice@example.com", Roles: []string{"SEC_OPS"}, Team: "pki",
				SourceAddr: "192.0.2.1:5555", UserAgent: "ledgerctl/1",
			},
			CorrelationID: "corr",
			CausationID:   "cause",
		},
	}
	body := `{"schema_version":2,"occurred_at":"2026-11-24T09:30:00.123456789Z",` +
		`"actor":{"subject":"alice@example.com","roles":["SEC_OPS"],"team":"pki",` +
		`"source_addr":"192.0.2.1:5555","user_agent":"ledgerctl/1"},` +
		`"correlation_id":"corr","causation_id":"cause","prev_hash":"` + prev.String() + `"}`

	stored, h, err := events.Seal(streamA, 7, prev, p)

	require.NoError(t, err)
	assert.Equal(t, specHash(prev, streamA, 7, p.ID, p.Type, p.Data, []byte(body)), h)
	assert.Equal(t, "515b716e97a0f8c2772b2396cc9e41fc7d8fe9b4d83a5a52eb0fe17071d6145b", h.String(), "golden hash, also computed independently in Python")
	assert.Equal(t, body[:len(body)-1]+`,"hash":"`+h.String()+`"}`, string(stored))
}

func TestSealRejectsInvalidEvents(t *testing.T) {
	valid := proposal(uuid.New(), 0, 0)
	tests := []struct {
		name   string
		stream string
		edit   func(p *events.Proposed)
		want   string
	}{
		{"empty stream", "", func(*events.Proposed) {}, "empty stream name"},
		{"system stream", "$all", func(*events.Proposed) {}, "system stream"},
		{"nil id", streamA, func(p *events.Proposed) { p.ID = uuid.Nil }, "nil event id"},
		{"empty type", streamA, func(p *events.Proposed) { p.Type = "" }, "empty event type"},
		{"system type", streamA, func(p *events.Proposed) { p.Type = "$metadata" }, "system event type"},
		{"data not JSON", streamA, func(p *events.Proposed) { p.Data = []byte(`{"a":`) }, "not valid JSON"},
		{"nil data", streamA, func(p *events.Proposed) { p.Data = nil }, "not valid JSON"},
		{"schema version 0", streamA, func(p *events.Proposed) { p.Metadata.SchemaVersion = 0 }, "below 1"},
		{"no actor", streamA, func(p *events.Proposed) { p.Metadata.Actor.Subject = "" }, "no actor"},
		{"no occurred-at", streamA, func(p *events.Proposed) { p.Metadata.OccurredAt = time.Time{} }, "no occurred-at"},
		{"time out of JSON range", streamA, func(p *events.Proposed) {
			p.Metadata.OccurredAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
		}, "encode metadata"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valid
			tt.edit(&p)

			_, _, err := events.Seal(tt.stream, 0, events.Hash{}, p)

			require.ErrorIs(t, err, events.ErrInvalidEvent)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestHashOfMatchesSeal(t *testing.T) {
	raws, hashes := sealStream(t, streamA, 3, 200)
	var prev events.Hash
	for i, r := range raws {
		h, err := events.HashOf(r, prev)
		require.NoError(t, err)
		assert.Equal(t, hashes[i], h, "revision %d", i)
		prev = h
	}
}

func TestHashOfRejectsMalformedSuffix(t *testing.T) {
	raws, _ := sealStream(t, streamA, 1, 0)
	good := string(raws[0].StoredMetadata)
	cut := len(good) - 66 // start of the hash digits
	tests := []struct {
		name string
		meta string
	}{
		{"empty", ""},
		{"not an object", "[" + good[1:]},
		{"truncated", good[:len(good)-1]},
		{"trailing space", good + " "},
		{"hash member renamed", strings.Replace(good, `"hash":`, `"hesh":`, 1)},
		{"prev_hash not last", strings.Replace(good, `"prev_hash":`, `"prev_hesh":`, 1)},
		{"short hash digits", good[:cut] + strings.Repeat("a", 63) + `"}`},
		{"non-hex hash digits", good[:cut] + strings.Repeat("g", 64) + `"}`},
		{"uppercase prev_hash digits", strings.Replace(good, `"prev_hash":"0`, `"prev_hash":"A`, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := raws[0]
			r.StoredMetadata = []byte(tt.meta)

			_, err := events.HashOf(r, events.Hash{})

			require.ErrorIs(t, err, events.ErrMalformed)
			assert.Contains(t, err.Error(), streamA+"@0")
		})
	}
}
