package main

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/projections/audit"
)

// checkpointHonestly signs a checkpoint of every ledger event of $all, with the root the test
// recomputes itself, as ledgerd's checkpointer would.
func checkpointHonestly(t testing.TB, h *commands.Application, store *eventstore.Store) {
	t.Helper()
	tree := audit.NewTree()
	var last uint64
	for raw, err := range store.ReadAll(context.Background(), 0) {
		require.NoError(t, err)
		if env, ok := audit.LeafOf(raw); ok {
			require.NoError(t, tree.Add(env.Hash))
			last = raw.Position
		}
	}
	root, err := tree.Root()
	require.NoError(t, err)
	_, err = h.SignCheckpoint.Handle(context.Background(), commands.SignCheckpoint{Size: tree.Size(), Root: root, LastPosition: last})
	require.NoError(t, err)
}

// keyFile writes the PEM of a public key and returns its path.
func keyFile(t *testing.T, pub any) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "audit.pem")
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600))
	return path
}

func TestAuditVerifyChecksCheckpoints(t *testing.T) {
	url, client, streams := ledger(t)
	store := eventstore.New(client)
	h, err := commands.NewApplication(store, hsm.KeyStore{HSM: hsmtest.Open(t)}, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(t, err)
	checkpointHonestly(t, h, store)
	pub, err := h.Queries.AuditKey(context.Background())
	require.NoError(t, err)

	code, out, errOut := runCtl(t, "audit", "verify", "--quiet", "--eventstore-url", url)
	require.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "OK: 4 events in 3 ledger streams verified, every chain intact")
	assert.Contains(t, out, "1 checkpoints verified up to tree size 3")
	assert.Contains(t, errOut, "WARNING: the audit key was not pinned")

	code, out, errOut = runCtl(t, "audit", "verify", "--quiet", "--eventstore-url", url, "--audit-key", keyFile(t, pub))
	require.Equal(t, exitOK, code, out+errOut)
	assert.NotContains(t, errOut, "WARNING")

	other, err := hsm.KeyStore{HSM: hsmtest.Open(t)}.EnsureKey(context.Background(), "other", "ecdsa-p256")
	require.NoError(t, err)
	code, out, _ = runCtl(t, "audit", "verify", "--quiet", "--eventstore-url", url, "--audit-key", keyFile(t, other))
	assert.Equal(t, exitBroken, code)
	assert.Regexp(t, `^BROKEN: checkpoint revision 0 \(tree size 3, signed at \S+\): it names audit key [0-9a-f]{64}, not [0-9a-f]{64}\n$`, out)

	// A checkpoint whose root is not the tree's: nothing in Postgres narrows down the leaf.
	appendOne(t, store, streams[1])
	_, err = h.SignCheckpoint.Handle(context.Background(), commands.SignCheckpoint{Size: 4, Root: sha256.Sum256([]byte("not the tree")), LastPosition: 99})
	require.NoError(t, err)
	code, out, _ = runCtl(t, "audit", "verify", "--quiet", "--eventstore-url", url, "--database-url", pgtest.NewDatabaseURL(t))
	assert.Equal(t, exitBroken, code)
	assert.Contains(t, out, "BROKEN: checkpoint revision 1 (tree size 4, signed at ")
	assert.Contains(t, out, "is not the root")
	assert.Contains(t, out, "the first leaf that differs is between leaf 3 and leaf 3 (the audit read model cannot narrow it down")
}

// appendOne appends a well-chained event to stream through the ledger's adapter.
func appendOne(t *testing.T, store *eventstore.Store, stream string) {
	t.Helper()
	_, head, err := store.Load(context.Background(), stream)
	require.NoError(t, err)
	_, err = store.Append(context.Background(), stream, head, []events.Proposed{{ID: uuid.New(), Type: "Issued",
		Data: []byte(`{"i":2}`), Metadata: events.Metadata{SchemaVersion: 1, OccurredAt: time.Now().UTC(), Actor: events.Actor{Subject: "alice"}}}})
	require.NoError(t, err)
}
