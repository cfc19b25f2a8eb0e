package events_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
)

// addSeeds adds a sealed event and a few malformed variants to a corpus
// of (metadata, data) pairs.
func addSeeds(f *testing.F) {
	raws, _ := sealStream(f, streamA, 2, 0)
	for _, r := range raws {
		f.Add(r.StoredMetadata, r.Data)
	}
	meta := raws[1].StoredMetadata
	f.Add(meta[:len(meta)-1], raws[1].Data)
	f.Add([]byte(`{"prev_hash":"`+events.Hash{}.String()+`","hash":"`+events.Hash{}.String()+`"}`), []byte(`null`))
	f.Add([]byte(`{"actor":{"roles":[[{}]]},"prev_hash":"`+events.Hash{}.String()+`","hash":"`+events.Hash{}.String()+`"}`), []byte(`{}`))
	f.Add([]byte{}, []byte{})
}

func FuzzParseEnvelope(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, meta, data []byte) {
		r := events.Raw{Stream: streamA, Revision: 1, ID: uuid.Max, Type: "T", Data: data, StoredMetadata: meta}

		e, err := events.ParseEnvelope(r)

		if err != nil {
			require.ErrorIs(t, err, events.ErrMalformed)
			return
		}
		// Whatever parses must also have a well-formed chain suffix.
		_, err = events.HashOf(r, e.PrevHash)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, e.Metadata.SchemaVersion, 1)
		assert.Equal(t, e.Hash.String(), string(meta[len(meta)-66:len(meta)-2]))
		assert.Equal(t, e.PrevHash.String(), string(meta[len(meta)-140:len(meta)-76]))
	})
}

func FuzzHashOf(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, meta, data []byte) {
		r := events.Raw{Stream: streamA, Revision: 0, ID: uuid.Max, Type: "T", Data: data, StoredMetadata: meta}

		h, err := events.HashOf(r, events.Hash{})

		_ = events.NewVerifier().Add(r)
		if err != nil {
			require.ErrorIs(t, err, events.ErrMalformed)
			return
		}
		stats, err := events.Verify(seqOf([]events.Raw{r}))
		if err == nil {
			assert.Equal(t, uint64(1), stats.Events)
			assert.Equal(t, h.String(), string(meta[len(meta)-66:len(meta)-2]))
		}
	})
}

// FuzzSealRoundTrip checks that whatever Seal accepts parses back, hashes
// to the same value and verifies.
func FuzzSealRoundTrip(f *testing.F) {
	f.Add("certificate-x", "CertificateIssued", []byte(`{"a":1}`), "alice", "corr", 1, int64(0))
	f.Add("ca-\xff", "T\x00", []byte(`"\u2028"`), "<b>&\xfe", "", 7, int64(-1))
	f.Fuzz(func(t *testing.T, stream, eventType string, data []byte, subject, corr string, version int, nanos int64) {
		p := events.Proposed{
			ID: uuid.Max, Type: eventType, Data: data,
			Metadata: events.Metadata{
				SchemaVersion: version, OccurredAt: time.Unix(0, nanos),
				Actor: events.Actor{Subject: subject, Roles: []string{subject}}, CorrelationID: corr,
			},
		}
		stored, h, err := events.Seal(stream, 0, events.Hash{}, p)
		if err != nil {
			require.ErrorIs(t, err, events.ErrInvalidEvent)
			return
		}
		r := events.Raw{Stream: stream, ID: p.ID, Type: p.Type, Data: p.Data, StoredMetadata: stored}

		e, err := events.ParseEnvelope(r)
		require.NoError(t, err)
		assert.Equal(t, h, e.Hash)
		assert.Equal(t, version, e.Metadata.SchemaVersion)
		assert.True(t, p.Metadata.OccurredAt.Equal(e.Metadata.OccurredAt))
		got, err := events.HashOf(r, events.Hash{})
		require.NoError(t, err)
		assert.Equal(t, h, got)
		_, err = events.Verify(seqOf([]events.Raw{r}))
		require.NoError(t, err)
	})
}
