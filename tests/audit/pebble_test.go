package audit_test

import (
	"encoding/binary"
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/cockroachdb/pebble/v2"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/certledger/certledger/events"
)

// The attacker's view of the embedded store's Pebble database (infra/embeddedstore/keys.go):
// 'a' + position → event record ($all), 'r' + stream + 0 + revision → position, 'm' + stream →
// stream state (next revision, truncate-before, tombstoned).

type record = api.ReadResp_ReadEvent_RecordedEvent

func allKey(pos uint64) []byte { return binary.BigEndian.AppendUint64([]byte{'a'}, pos) }

func revKey(stream string, rev uint64) []byte {
	return binary.BigEndian.AppendUint64(append(append([]byte{'r'}, stream...), 0), rev)
}

// records returns every event of $all, in position order.
func records(t *testing.T, db *pebble.DB) []*record {
	t.Helper()
	it, err := db.NewIter(&pebble.IterOptions{LowerBound: []byte{'a'}, UpperBound: []byte{'b'}})
	require.NoError(t, err)
	defer it.Close()
	var out []*record
	for it.First(); it.Valid(); it.Next() {
		e := &record{}
		require.NoError(t, proto.Unmarshal(it.Value(), e))
		out = append(out, e)
	}
	return out
}

// put writes an event record and its stream index entry at the record's position.
func put(t *testing.T, b *pebble.Batch, e *record) {
	t.Helper()
	raw, err := proto.Marshal(e)
	require.NoError(t, err)
	require.NoError(t, b.Set(allKey(e.CommitPosition), raw, nil))
	require.NoError(t, b.Set(revKey(string(e.StreamIdentifier.StreamName), e.StreamRevision), binary.BigEndian.AppendUint64(nil, e.CommitPosition), nil))
}

// setNext sets a stream's next revision in its state.
func setNext(t *testing.T, b *pebble.Batch, stream string, next uint64) {
	t.Helper()
	state := make([]byte, 17)
	binary.BigEndian.PutUint64(state, next)
	require.NoError(t, b.Set(append([]byte{'m'}, stream...), state, nil))
}

// withDB opens the database in dir, runs f with a batch, and commits it.
func withDB(t *testing.T, dir string, f func(db *pebble.DB, b *pebble.Batch)) {
	t.Helper()
	db, err := pebble.Open(dir, &pebble.Options{})
	require.NoError(t, err)
	defer db.Close()
	b := db.NewBatch()
	f(db, b)
	require.NoError(t, b.Commit(pebble.Sync))
}

// rawOf is a record as the ledger reads it.
func rawOf(e *record) events.Raw {
	s := e.Id.GetStructured()
	var id uuid.UUID
	binary.BigEndian.PutUint64(id[:8], uint64(s.MostSignificantBits))
	binary.BigEndian.PutUint64(id[8:], uint64(s.LeastSignificantBits))
	return events.Raw{Stream: string(e.StreamIdentifier.StreamName), Revision: e.StreamRevision, ID: id,
		Type: e.Metadata["type"], Data: e.Data, StoredMetadata: e.CustomMetadata, Position: e.CommitPosition}
}

// reseal returns a copy of e at revision rev of its stream with the given data and id, sealed
// into the stream's chain after prev exactly as the ledger seals, and its new hash.
func reseal(t *testing.T, e *record, id uuid.UUID, rev uint64, prev events.Hash, data []byte) (*record, events.Hash) {
	t.Helper()
	env, err := events.ParseEnvelope(rawOf(e))
	require.NoError(t, err)
	meta, h, err := events.Seal(env.Stream, rev, prev, events.Proposed{ID: id, Type: env.Type, Data: data, Metadata: env.Metadata})
	require.NoError(t, err)
	out := proto.Clone(e).(*record)
	out.Id = &shared.UUID{Value: &shared.UUID_Structured_{Structured: &shared.UUID_Structured{
		MostSignificantBits:  int64(binary.BigEndian.Uint64(id[:8])),
		LeastSignificantBits: int64(binary.BigEndian.Uint64(id[8:])),
	}}}
	out.StreamRevision, out.Data, out.CustomMetadata = rev, data, meta
	return out, h
}

// hashOf is the stored chain hash of a record.
func hashOf(t *testing.T, e *record) events.Hash {
	t.Helper()
	env, err := events.ParseEnvelope(rawOf(e))
	require.NoError(t, err)
	return env.Hash
}
