package commands_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain/tsp"
	"github.com/certledger/certledger/events"
)

// TestEveryTimestampIsOnTheRecord counts the TSA key's signatures at the HSM adapter against
// the tokens recorded, voided and announced by open intents, through a store that fails on
// the record, then on the record and the void, and the sweep that voids what stayed open.
func TestEveryTimestampIsOnTheRecord(t *testing.T) {
	l := newTSALedger(t)
	query := l.query(t, "sha256")
	_, err := l.stamp(l.key, query)
	require.NoError(t, err)
	assert.Equal(t, []int{1, 0, 0}, l.requireAccounted(t))

	l.faults.inject("TimestampIssued", failure, 1)
	_, err = l.stamp(l.key, query)
	require.ErrorIs(t, err, errStoreDown)
	assert.Equal(t, []int{1, 1, 0}, l.requireAccounted(t), "a token that could not be recorded is voided")

	l.faults.inject("TimestampIssued", failure, -1)
	l.faults.inject("SignatureVoided", failure, -1)
	_, err = l.stamp(l.key, query)
	require.ErrorIs(t, err, errStoreDown)
	l.faults.heal()
	assert.Equal(t, []int{1, 1, 1}, l.requireAccounted(t), "the intent announced the token before it was signed")

	l.later()
	_, err = l.h.VoidStaleSignings.Handle(context.Background(), commands.VoidStaleSignings{Stream: l.streams[len(l.streams)-1]})
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 0}, l.requireAccounted(t), "the sweep voids the interrupted token")

	l.faults.inject("TimestampIssued", conflict, 2)
	_, err = l.stamp(l.key, query)
	require.NoError(t, err, "conflicts on the record are retried")
	assert.Equal(t, []int{2, 2, 0}, l.requireAccounted(t))
}

// TestRefusedTimestampsAppendNothing checks that weak, malformed and misdirected requests get
// their RFC 3161 failure, the HSM signs nothing and no stream is written.
func TestRefusedTimestampsAppendNothing(t *testing.T) {
	l := newTSALedger(t)
	code := l.newKey(t, "code")
	disabled := l.newKey(t, "timestamp")
	_, err := l.h.DisableSigningKey.Handle(context.Background(), commands.SigningKeyDecision{CommandID: uuid.New(), KeyID: disabled}, secops)
	require.NoError(t, err)
	revoked := l.newKey(t, "timestamp")
	_, err = l.h.RevokeSigningKey.Handle(context.Background(), commands.SigningKeyDecision{CommandID: uuid.New(), KeyID: revoked,
		Reason: "keyCompromise"}, secops)
	require.NoError(t, err)
	good := l.query(t, "sha256")
	cases := []struct {
		name string
		key  uuid.UUID
		req  []byte
		want tsp.FailureInfo
	}{
		{"a SHA-1 query", l.key, l.query(t, "sha1"), tsp.BadAlg},
		{"an MD5 query", l.key, l.query(t, "md5"), tsp.BadAlg},
		{"no TimeStampReq", l.key, []byte("not DER"), tsp.BadDataFormat},
		{"a code-signing key", code, good, tsp.BadRequest},
		{"no such key", uuid.New(), good, tsp.BadRequest},
		{"a disabled TSA key", disabled, good, tsp.SystemFailure},
		{"a revoked TSA key", revoked, good, tsp.SystemFailure},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := l.stamp(c.key, c.req)
			var f *tsp.Failure
			require.ErrorAs(t, err, &f)
			assert.Equal(t, c.want, f.Info, f.Reason)
			_, head, err := l.store.Load(context.Background(), l.streams[len(l.streams)-1])
			require.NoError(t, err)
			assert.False(t, head.Exists(), "nothing appended")
			for _, k := range []uuid.UUID{l.key, code, disabled, revoked} {
				assert.Zero(t, l.hsm.Signatures(events.StreamName(events.CategorySigningKey, k)), "nothing signed")
			}
		})
	}
}
