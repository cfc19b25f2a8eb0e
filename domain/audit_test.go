package domain_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

func TestCheckpointNoteRoundTrip(t *testing.T) {
	body := domain.CheckpointBody{TreeSize: 1234, RootHash: sha256.Sum256([]byte("root")),
		SignedAt: time.Date(2026, 11, 24, 9, 30, 0, 123456000, time.UTC), LastPosition: 98765}
	note := domain.CheckpointNote(body)
	assert.Equal(t, "certledger.dev/checkpoint/v1\n1234\n"+
		"SBNJTRN+FjG7owHVrKtue7eqdM4RhdRWVl71HXN2d7I=\n2026-11-24T09:30:00.123456Z\n98765\n", note)
	parsed, err := domain.ParseCheckpointNote(note)
	require.NoError(t, err)
	assert.Equal(t, body, parsed)

	for name, bad := range map[string]string{
		"other origin":      strings.Replace(note, "certledger.dev/checkpoint/v1", "example.com/log", 1),
		"no final newline":  strings.TrimSuffix(note, "\n"),
		"extra line":        note + "x\n",
		"leading zero":      strings.Replace(note, "\n1234\n", "\n01234\n", 1),
		"short root":        strings.Replace(note, "SBNJTRN+FjG7owHVrKtue7eqdM4RhdRWVl71HXN2d7I=", "SBNJ", 1),
		"local time":        strings.Replace(note, "09:30:00.123456Z", "10:30:00.123456+01:00", 1),
		"negative position": strings.Replace(note, "\n98765\n", "\n-1\n", 1),
	} {
		_, err := domain.ParseCheckpointNote(bad)
		assert.Truef(t, domain.IsKind(err, domain.KindInvalid), "%s: %v", name, err)
	}
}

// signer is an audit key outside any HSM, for the domain's decisions.
func auditKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return k
}

func signNote(t *testing.T, k *ecdsa.PrivateKey, note string) []byte {
	t.Helper()
	digest := sha256.Sum256([]byte(note))
	sig, err := ecdsa.SignASN1(rand.Reader, k, digest[:])
	require.NoError(t, err)
	return sig
}

func TestSignCheckpointRecordsAVerifiedNote(t *testing.T) {
	k := auditKey(t)
	root := sha256.Sum256([]byte("tree of 10"))
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	note := domain.CheckpointNote(domain.CheckpointBody{TreeSize: 10, RootHash: root, SignedAt: at, LastPosition: 42})
	log := &domain.AuditLog{}

	decided, err := log.SignCheckpoint(domain.CheckpointInput{TreeSize: 10, RootHash: root, LastPosition: 42,
		Key: &k.PublicKey, Signature: signNote(t, k, note)}, at)
	require.NoError(t, err)
	c := decided[0].(domain.AuditCheckpointSigned)
	assert.Equal(t, note, c.Note)
	assert.Equal(t, domain.CheckpointAlgorithm, c.Algorithm)
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	require.NoError(t, err)
	sum := sha256.Sum256(der)
	assert.Equal(t, hex.EncodeToString(sum[:]), c.KeyID)
	assert.Equal(t, der, c.PublicKey)
	require.NoError(t, domain.VerifyCheckpointSignature(&k.PublicKey, c.Note, c.Signature))
	assert.Equal(t, c, roundTrip(t, decided)[0].(domain.AuditCheckpointSigned))

	_, err = log.SignCheckpoint(domain.CheckpointInput{TreeSize: 10, RootHash: root, LastPosition: 42,
		Key: &k.PublicKey, Signature: signNote(t, k, note+"x")}, at)
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "a signature over another text: %v", err)
	_, err = log.SignCheckpoint(domain.CheckpointInput{TreeSize: 10, RootHash: root, LastPosition: 42,
		Key: &auditKey(t).PublicKey, Signature: signNote(t, k, note)}, at)
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "another key: %v", err)
}

func TestAuditLogOnlyGrows(t *testing.T) {
	root := sha256.Sum256([]byte("tree of 10"))
	other := sha256.Sum256([]byte("another tree of 10"))
	log, err := domain.NewAuditLogFromHistory([]domain.Event{
		domain.AuditCheckpointSigned{TreeSize: 5, RootHash: make([]byte, 32)},
		domain.AuditCheckpointSigned{TreeSize: 10, RootHash: root[:]},
	})
	require.NoError(t, err)
	last, ok := log.Last()
	require.True(t, ok)
	assert.Equal(t, int64(10), last.TreeSize)
	assert.True(t, log.Records(10, root))
	assert.False(t, log.Records(10, other))

	assert.NoError(t, log.CheckNext(11, other))
	err = log.CheckNext(10, other)
	assert.True(t, domain.IsKind(err, domain.KindConflict))
	assert.Contains(t, err.Error(), "the tree over $all changed")
	for _, size := range []int64{10, 9, 1} {
		err = log.CheckNext(size, root)
		assert.True(t, domain.IsKind(err, domain.KindConflict), "size %d", size)
	}
	assert.True(t, domain.IsKind((&domain.AuditLog{}).CheckNext(0, root), domain.KindInvalid))

	_, err = domain.NewAuditLogFromHistory([]domain.Event{
		domain.AuditCheckpointSigned{TreeSize: 10}, domain.AuditCheckpointSigned{TreeSize: 10}})
	assert.Error(t, err, "a size checkpointed twice does not fold")
}
