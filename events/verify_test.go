package events_test

import (
	"bytes"
	"errors"
	"iter"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
)

var (
	streamA = events.StreamName(events.CategoryCertificate, uuid.MustParse("11111111-1111-4111-8111-111111111111"))
	streamB = events.StreamName(events.CategoryCertificate, uuid.MustParse("22222222-2222-4222-8222-222222222222"))
)

// honestLog returns two interleaved, correctly sealed streams of 4 events.
func honestLog(t *testing.T) []events.Raw {
	a, _ := sealStream(t, streamA, 4, 64)
	b, _ := sealStream(t, streamB, 4, 64)
	return cloneRaws(interleave(a, b))
}

// at returns the index in log of the event at revision of stream.
func at(t *testing.T, log []events.Raw, stream string, revision uint64) int {
	i := slices.IndexFunc(log, func(r events.Raw) bool { return r.Stream == stream && r.Revision == revision })
	require.GreaterOrEqual(t, i, 0, "event %s@%d", stream, revision)
	return i
}

// digits returns the 64 hex digits of a stored metadata member.
func digits(meta []byte, member string) []byte {
	i := bytes.LastIndex(meta, []byte(`"`+member+`":"`)) + len(member) + 4
	return meta[i : i+64]
}

// sameContent copies the event content (id, type, data, metadata) of src
// into the slot of dst, keeping dst's stream, revision and position.
func sameContent(dst *events.Raw, src events.Raw) {
	dst.ID, dst.Type, dst.Data, dst.StoredMetadata = src.ID, src.Type, src.Data, src.StoredMetadata
}

func TestVerifyHonestChain(t *testing.T) {
	a, hashesA := sealStream(t, streamA, 4, 64)
	b, hashesB := sealStream(t, streamB, 3, 1024)
	system := events.Raw{Stream: "$$" + streamA, Type: "$metadata", Data: []byte(`{}`)}
	log := append(interleave(a, b), system)

	stats, err := events.Verify(seqOf(log))
	require.NoError(t, err)
	assert.Equal(t, events.Stats{Events: 7, Streams: 2, Skipped: 1}, stats)

	v := events.NewVerifier()
	for _, r := range log {
		require.NoError(t, v.Add(r))
	}
	rev, h, ok := v.Head(streamA)
	require.True(t, ok)
	assert.Equal(t, uint64(3), rev)
	assert.Equal(t, hashesA[3], h)
	rev, h, ok = v.Head(streamB)
	require.True(t, ok)
	assert.Equal(t, uint64(2), rev)
	assert.Equal(t, hashesB[2], h)
	_, _, ok = v.Head("certificate-unknown")
	assert.False(t, ok)
}

func TestVerifyDetectsTampering(t *testing.T) {
	tests := []struct {
		name     string
		tamper   func(t *testing.T, log []events.Raw) []events.Raw
		stream   string
		revision uint64
		reason   string
	}{
		{"altered data byte", func(t *testing.T, log []events.Raw) []events.Raw {
			r := &log[at(t, log, streamA, 2)]
			r.Data[bytes.IndexByte(r.Data, '0')] = '9'
			return log
		}, streamA, 2, "hash mismatch"},
		{"altered metadata byte", func(t *testing.T, log []events.Raw) []events.Raw {
			r := &log[at(t, log, streamB, 1)]
			r.StoredMetadata[bytes.Index(r.StoredMetadata, []byte("alice"))] = 'm'
			return log
		}, streamB, 1, "hash mismatch"},
		{"altered type", func(t *testing.T, log []events.Raw) []events.Raw {
			log[at(t, log, streamA, 3)].Type = "CertificateRevoked"
			return log
		}, streamA, 3, "hash mismatch"},
		{"altered event id", func(t *testing.T, log []events.Raw) []events.Raw {
			log[at(t, log, streamA, 1)].ID = uuid.MustParse("33333333-3333-4333-8333-333333333333")
			return log
		}, streamA, 1, "hash mismatch"},
		{"swapped events", func(t *testing.T, log []events.Raw) []events.Raw {
			i, j := at(t, log, streamA, 1), at(t, log, streamA, 2)
			log[i], log[j] = log[j], log[i]
			return log
		}, streamA, 2, "out of sequence: want revision 1"},
		{"swapped contents, revisions renumbered", func(t *testing.T, log []events.Raw) []events.Raw {
			i, j := at(t, log, streamA, 1), at(t, log, streamA, 2)
			one, two := log[i], log[j]
			sameContent(&log[i], two)
			sameContent(&log[j], one)
			return log
		}, streamA, 1, "prev_hash mismatch"},
		{"missing revision", func(t *testing.T, log []events.Raw) []events.Raw {
			return slices.Delete(log, at(t, log, streamB, 2), at(t, log, streamB, 2)+1)
		}, streamB, 3, "out of sequence: want revision 2"},
		{"missing first event", func(t *testing.T, log []events.Raw) []events.Raw {
			return slices.Delete(log, at(t, log, streamA, 0), at(t, log, streamA, 0)+1)
		}, streamA, 1, "out of sequence: want revision 0"},
		{"replayed event", func(t *testing.T, log []events.Raw) []events.Raw {
			i := at(t, log, streamB, 1)
			return slices.Insert(log, i+1, log[i])
		}, streamB, 1, "out of sequence: want revision 2"},
		{"event copied from another stream", func(t *testing.T, log []events.Raw) []events.Raw {
			sameContent(&log[at(t, log, streamB, 2)], log[at(t, log, streamA, 2)])
			return log
		}, streamB, 2, "prev_hash mismatch"},
		{"first event copied from another stream", func(t *testing.T, log []events.Raw) []events.Raw {
			sameContent(&log[at(t, log, streamB, 0)], log[at(t, log, streamA, 0)])
			return log
		}, streamB, 0, "hash mismatch"},
		{"event copied from another revision", func(t *testing.T, log []events.Raw) []events.Raw {
			sameContent(&log[at(t, log, streamA, 3)], log[at(t, log, streamA, 1)])
			return log
		}, streamA, 3, "prev_hash mismatch"},
		{"forged first event", func(t *testing.T, log []events.Raw) []events.Raw {
			p := proposal(uuid.New(), 0, 80)
			stored, _, err := events.Seal(streamA, 0, events.Hash{}, p)
			require.NoError(t, err)
			log[at(t, log, streamA, 0)] = events.Raw{
				Stream: streamA, Revision: 0, ID: p.ID, Type: p.Type, Data: p.Data, StoredMetadata: stored,
			}
			return log
		}, streamA, 1, "prev_hash mismatch"},
		{"first event with non-zero prev_hash", func(t *testing.T, log []events.Raw) []events.Raw {
			r := &log[at(t, log, streamB, 0)]
			stored, _, err := events.Seal(streamB, 0, events.Hash{1}, proposal(uuid.New(), 0, 10))
			require.NoError(t, err)
			r.StoredMetadata = stored
			return log
		}, streamB, 0, "prev_hash mismatch"},
		{"stored hash replaced", func(t *testing.T, log []events.Raw) []events.Raw {
			r := &log[at(t, log, streamA, 2)]
			copy(digits(r.StoredMetadata, "hash"), events.Hash{0xab}.String())
			return log
		}, streamA, 2, "hash mismatch"},
		{"stored hash in uppercase", func(t *testing.T, log []events.Raw) []events.Raw {
			d := digits(log[at(t, log, streamA, 1)].StoredMetadata, "hash")
			copy(d, bytes.ToUpper(d))
			return log
		}, streamA, 1, "hash mismatch"},
		{"prev_hash field wrong", func(t *testing.T, log []events.Raw) []events.Raw {
			r := &log[at(t, log, streamB, 3)]
			copy(digits(r.StoredMetadata, "prev_hash"), events.Hash{0xcd}.String())
			return log
		}, streamB, 3, "prev_hash mismatch"},
		{"truncated suffix", func(t *testing.T, log []events.Raw) []events.Raw {
			r := &log[at(t, log, streamA, 1)]
			r.StoredMetadata = r.StoredMetadata[:len(r.StoredMetadata)-1]
			return log
		}, streamA, 1, "does not end with the prev_hash and hash members"},
		{"metadata without hash members", func(t *testing.T, log []events.Raw) []events.Raw {
			log[at(t, log, streamA, 0)].StoredMetadata = []byte(`{"schema_version":1}`)
			return log
		}, streamA, 0, "too short"},
	}
	verifiers := map[string]func(iter.Seq2[events.Raw, error]) (events.Stats, error){
		"sequential": events.Verify,
		"parallel":   func(s iter.Seq2[events.Raw, error]) (events.Stats, error) { return events.VerifyParallel(s, 3) },
	}
	for _, tt := range tests {
		for name, verify := range verifiers {
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				log := tt.tamper(t, honestLog(t))

				_, err := verify(seqOf(log))

				var ce *events.ChainError
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, tt.stream, ce.Stream)
				assert.Equal(t, tt.revision, ce.Revision)
				assert.Contains(t, ce.Reason, tt.reason)
				assert.Contains(t, err.Error(), "stream "+tt.stream+": revision ")
			})
		}
	}
}

func TestVerifierKeepsFirstError(t *testing.T) {
	log := honestLog(t)
	log[at(t, log, streamA, 1)].Type = "Tampered"
	v := events.NewVerifier()

	var first error
	for _, r := range log {
		if err := v.Add(r); err != nil && first == nil {
			first = err
		}
	}

	require.Error(t, first)
	assert.Same(t, first, v.Add(log[0]))
	assert.Equal(t, uint64(2), v.Stats().Events, "A0 and B0 verified before the break")
}

func TestVerifyReportsReadError(t *testing.T) {
	boom := errors.New("connection reset")
	log := honestLog(t)
	seq := func(yield func(events.Raw, error) bool) {
		if yield(log[0], nil) {
			yield(events.Raw{}, boom)
		}
	}

	stats, err := events.Verify(seq)

	require.ErrorIs(t, err, boom)
	assert.Equal(t, uint64(1), stats.Events)
}

func TestChainErrorMessage(t *testing.T) {
	err := &events.ChainError{Stream: "certificate-x", Revision: 3, Reason: "hash mismatch"}
	assert.Equal(t, "stream certificate-x: revision 3: hash mismatch", err.Error())
}
