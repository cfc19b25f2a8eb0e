package commands_test

import (
	"context"
	"crypto/sha256"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

var (
	// releaser is a DEVOPS of the web team, the team of the test keys.
	releaser  = commands.Caller{Actor: domain.Actor{Subject: "rel@example.com", Roles: []domain.Role{domain.RoleDevOps}, Team: "web"}}
	approver2 = commands.Caller{Actor: domain.Actor{Subject: "sec2@example.com", Roles: []domain.Role{domain.RoleSecOps}}}
	outsider  = commands.Caller{Actor: domain.Actor{Subject: "ops@example.com", Roles: []domain.Role{domain.RoleDevOps}, Team: "search"}}
)

// createSigningKey is the creation of a P-256 code-signing key of the web team under ca.
func createSigningKey(id, ca uuid.UUID, approvals int) commands.CreateSigningKey {
	return commands.CreateSigningKey{CommandID: uuid.New(), KeyID: id, CAID: ca, Name: "release", Team: "web",
		Usage: domain.UsageCode, KeyType: domain.KeyECDSAP256, CommonName: "Web release signing",
		ValidityDays: 365, Policy: domain.SigningPolicy{Approvals: approvals}}
}

// newSigningKey creates a signing key under the ledger's intermediate.
func (l *signingLedger) newSigningKey(t *testing.T, approvals int) uuid.UUID {
	t.Helper()
	id := uuid.New()
	l.signingKeyIDs = append(l.signingKeyIDs, id)
	_, err := l.h.CreateSigningKey.Handle(context.Background(), createSigningKey(id, l.inter, approvals), secops)
	require.NoError(t, err)
	return id
}

// signDigest asks key to sign the SHA-256 of content as the request requestID.
func (l *signingLedger) signDigest(key, requestID uuid.UUID, content string, by commands.Caller) (commands.Result, error) {
	d := sha256.Sum256([]byte(content))
	return l.h.SignDigest.Handle(context.Background(), commands.SignDigest{CommandID: uuid.NewSHA1(requestID, []byte("cmd")),
		RequestID: requestID, KeyID: key, Digest: d[:], DigestAlgorithm: "sha256", Artifact: "app.bin"}, by)
}

// artifactAccounting counts a signing key's signatures on the record: recorded
// (ArtifactSigned), voided, or announced by an intent still open.
func (l *signingLedger) artifactAccounting(t *testing.T, key uuid.UUID, requests []uuid.UUID) (recorded, voided, open int) {
	t.Helper()
	streams := make([]string, len(requests))
	for i, id := range requests {
		streams[i] = events.StreamName(events.CategorySignature, id)
	}
	return l.keyAccounting(t, key, streams)
}

// keyAccounting counts a signing key's signatures on the record in streams: recorded
// (ArtifactSigned, TimestampIssued), voided, or announced by an intent still open.
func (l *signingLedger) keyAccounting(t *testing.T, key uuid.UUID, streams []string) (recorded, voided, open int) {
	t.Helper()
	reg, err := commands.NewRegistry()
	require.NoError(t, err)
	started, closed := map[string]bool{}, map[string]domain.Signature{}
	for _, stream := range streams {
		history, _, err := l.store.Load(context.Background(), stream)
		require.NoError(t, err)
		for _, env := range history {
			v, err := reg.Decode(env)
			require.NoError(t, err)
			sig, ok := domain.SignatureOf(v.(domain.Event))
			if !ok || sig.CAID != key.String() {
				continue
			}
			if sig.Open {
				started[sig.Serial] = true
			} else {
				require.True(t, started[sig.Serial], "serial %s recorded or voided without an intent", sig.Serial)
				closed[sig.Serial] = sig
			}
		}
	}
	for serial := range started {
		switch c, ok := closed[serial]; {
		case !ok:
			open++
		case c.Voided:
			voided++
		default:
			recorded++
		}
	}
	return recorded, voided, open
}

// requireArtifactsAccounted requires the HSM's count of the key's signatures to be what the
// ledger recorded, voided or holds as open intents.
func (l *signingLedger) requireArtifactsAccounted(t *testing.T, key uuid.UUID, requests []uuid.UUID) (recorded, voided, open int) {
	t.Helper()
	recorded, voided, open = l.artifactAccounting(t, key, requests)
	n := l.hsm.Signatures(events.StreamName(events.CategorySigningKey, key))
	require.Equal(t, n, int64(recorded+voided+open), "HSM signatures of the key %d; recorded %d, voided %d, open %d", n, recorded, voided, open)
	return recorded, voided, open
}

func TestEveryArtifactSignatureIsOnTheRecord(t *testing.T) {
	l := newSigningLedger(t)
	key := l.newSigningKey(t, 0)
	var requests []uuid.UUID
	newRequest := func() uuid.UUID { id := uuid.New(); requests = append(requests, id); return id }

	ok := newRequest()
	res, err := l.signDigest(key, ok, "v1", releaser)
	require.NoError(t, err)
	assert.Equal(t, 3, res.Appended, "SignatureRequested, SigningStarted, ArtifactSigned")
	again, err := l.signDigest(key, ok, "v1", releaser)
	require.NoError(t, err)
	assert.True(t, again.Replayed, "a retried command signs nothing more")
	rec, void, open := l.requireArtifactsAccounted(t, key, requests)
	assert.Equal(t, []int{1, 0, 0}, []int{rec, void, open})

	l.faults.inject("ArtifactSigned", failure, 1)
	_, err = l.signDigest(key, newRequest(), "v2", releaser)
	require.ErrorIs(t, err, errStoreDown)
	rec, void, open = l.requireArtifactsAccounted(t, key, requests)
	assert.Equal(t, []int{1, 1, 0}, []int{rec, void, open}, "a signature that could not be recorded is voided")

	l.faults.inject("ArtifactSigned", failure, -1)
	l.faults.inject("SignatureVoided", failure, -1)
	down := newRequest()
	_, err = l.signDigest(key, down, "v3", releaser)
	require.ErrorIs(t, err, errStoreDown)
	l.faults.heal()
	rec, void, open = l.requireArtifactsAccounted(t, key, requests)
	assert.Equal(t, []int{1, 1, 1}, []int{rec, void, open}, "the intent announced the signature before it was made")

	l.later()
	_, err = l.h.VoidStaleSignings.Handle(context.Background(), commands.VoidStaleSignings{Stream: events.StreamName(events.CategorySignature, down)})
	require.NoError(t, err)
	rec, void, open = l.requireArtifactsAccounted(t, key, requests)
	assert.Equal(t, []int{1, 2, 0}, []int{rec, void, open}, "the sweep voids the interrupted signature")
	r, err := l.h.Queries.SignatureRequest(context.Background(), down)
	require.NoError(t, err)
	assert.Equal(t, domain.SignatureStatusVoided, r.Status())
}
