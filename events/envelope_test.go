package events_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
)

func TestParseEnvelopeRoundTrip(t *testing.T) {
	raws, hashes := sealStream(t, streamA, 2, 100)
	r := raws[1]
	r.Position = 4242
	want := proposal(uuid.NewSHA1(uuid.NameSpaceURL, []byte(streamA)), 1, 100)

	e, err := events.ParseEnvelope(r)

	require.NoError(t, err)
	assert.Equal(t, r.ID, e.ID)
	assert.Equal(t, streamA, e.Stream)
	assert.Equal(t, uint64(1), e.Revision)
	assert.Equal(t, "CertificateIssued", e.Type)
	assert.Equal(t, r.Data, e.Data)
	assert.True(t, want.Metadata.OccurredAt.Equal(e.Metadata.OccurredAt))
	assert.Equal(t, "UTC", e.Metadata.OccurredAt.Location().String())
	e.Metadata.OccurredAt = want.Metadata.OccurredAt
	assert.Equal(t, want.Metadata, e.Metadata)
	assert.Equal(t, hashes[0], e.PrevHash)
	assert.Equal(t, hashes[1], e.Hash)
	assert.Equal(t, uint64(4242), e.Position)
	assert.Equal(t, testTime, e.Recorded)
}

func TestParseEnvelopeRejectsBadInput(t *testing.T) {
	raws, _ := sealStream(t, streamA, 1, 0)
	good := raws[0]
	meta := string(good.StoredMetadata)
	tail := meta[strings.LastIndex(meta, `,"prev_hash"`):]
	tests := []struct {
		name string
		edit func(r *events.Raw)
		want string
	}{
		{"nil id", func(r *events.Raw) { r.ID = uuid.Nil }, "nil event id"},
		{"empty type", func(r *events.Raw) { r.Type = "" }, "empty event type"},
		{"empty metadata", func(r *events.Raw) { r.StoredMetadata = nil }, "too short"},
		{"no hash suffix", func(r *events.Raw) { r.StoredMetadata = []byte(meta[:len(meta)-75] + "}") }, "does not end with"},
		{"metadata not JSON", func(r *events.Raw) {
			r.StoredMetadata = []byte(`{"schema_version":1,"x` + tail)
		}, "metadata:"},
		{"unknown field", func(r *events.Raw) {
			r.StoredMetadata = []byte(`{"schema_version":1,"extra":true` + tail)
		}, "not in the canonical form"},
		{"unknown actor field", func(r *events.Raw) {
			r.StoredMetadata = []byte(`{"schema_version":1,"actor":{"subject":"a","pin":"1"}` + tail)
		}, "not in the canonical form"},
		{"schema version 0", func(r *events.Raw) {
			r.StoredMetadata = []byte(`{"schema_version":0` + tail)
		}, "schema version 0"},
		{"schema version missing", func(r *events.Raw) { r.StoredMetadata = []byte(`{` + tail[1:]) }, "schema version 0"},
		{"duplicate hash member", func(r *events.Raw) {
			r.StoredMetadata = []byte(`{"schema_version":1` + tail[:len(tail)-1] + `,"hash":"` + strings.Repeat("0", 64) + `"}`)
		}, "does not end with"},
		{"earlier prev_hash member", func(r *events.Raw) {
			r.StoredMetadata = []byte(`{"schema_version":1,"prev_hash":"` + strings.Repeat("1", 64) + `"` + tail)
		}, "not in the canonical form"},
		{"duplicate member in other case", func(r *events.Raw) {
			r.StoredMetadata = []byte(`{"schema_version":1,"Schema_Version":2` + tail)
		}, "not in the canonical form"},
		{"duplicate actor member", func(r *events.Raw) {
			r.StoredMetadata = []byte(`{"schema_version":1,"actor":{"subject":"a","subject":"b"}` + tail)
		}, "not in the canonical form"},
		{"whitespace", func(r *events.Raw) {
			r.StoredMetadata = []byte(strings.Replace(meta, `":`, `": `, 1))
		}, "not in the canonical form"},
		{"members reordered", func(r *events.Raw) {
			r.StoredMetadata = []byte(`{"occurred_at":"2026-11-24T09:30:00Z","schema_version":1` + tail)
		}, "not in the canonical form"},
		{"time not in UTC", func(r *events.Raw) {
			r.StoredMetadata = []byte(`{"schema_version":1,"occurred_at":"2026-11-24T09:30:00+02:00"` + tail)
		}, "not in the canonical form"},
		{"role not a string", func(r *events.Raw) {
			r.StoredMetadata = []byte(`{"schema_version":1,"actor":{"subject":"a","roles":[{}]}` + tail)
		}, "cannot unmarshal"},
		{"wrong time type", func(r *events.Raw) {
			r.StoredMetadata = []byte(`{"schema_version":1,"occurred_at":5` + tail)
		}, "metadata:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good
			tt.edit(&r)

			_, err := events.ParseEnvelope(r)

			require.ErrorIs(t, err, events.ErrMalformed)
			assert.Contains(t, err.Error(), streamA+"@0")
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestHashText(t *testing.T) {
	h := events.Hash{0xab, 0x01}
	s := "ab01" + strings.Repeat("0", 60)
	assert.Equal(t, s, h.String())
	assert.False(t, h.IsZero())
	assert.True(t, events.Hash{}.IsZero())

	parsed, err := events.ParseHash(s)
	require.NoError(t, err)
	assert.Equal(t, h, parsed)

	b, err := json.Marshal(h)
	require.NoError(t, err)
	assert.JSONEq(t, `"`+s+`"`, string(b))
	var back events.Hash
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, h, back)
}

func TestParseHashRejects(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"empty", ""},
		{"too short", strings.Repeat("a", 63)},
		{"too long", strings.Repeat("a", 65)},
		{"uppercase", strings.Repeat("A", 64)},
		{"not hex", strings.Repeat("z", 64)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := events.ParseHash(tt.in)
			require.ErrorIs(t, err, events.ErrMalformed)
		})
	}
}
