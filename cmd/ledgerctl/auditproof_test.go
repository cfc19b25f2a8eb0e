package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/tests/clienttest"
)

// writeBundle writes a changed copy of a proof bundle and returns its path.
func writeBundle(t *testing.T, b proofBundle, change func(*proofBundle)) string {
	t.Helper()
	change(&b)
	raw, err := json.Marshal(b)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "bundle.json")
	require.NoError(t, os.WriteFile(path, raw, 0o600))
	return path
}

func TestAProofBundleVerifiesOfflineAndTamperingFails(t *testing.T) {
	l := clienttest.Start(t)
	caID := pkiSetup(t, l)
	history, err := client.New(l.URL, clienttest.ViewerToken).CAHistory(t.Context(), caID)
	require.NoError(t, err)
	event := history.Events[0].ID
	dir := t.TempDir()
	keyFile, bundleFile := filepath.Join(dir, "audit.pem"), filepath.Join(dir, "bundle.json")

	require.EventuallyWithT(t, func(c *assert.CollectT) { // once the audit read model has the event
		code, _, errOut := ctl(t, l, clienttest.ViewerToken, "audit", "proof", event, "--out", bundleFile)
		assert.Equal(c, exitRefused, code, "no checkpoint covers the event yet")
		assert.Contains(c, errOut, "409")
	}, time.Minute, 20*time.Millisecond)
	cp := l.Checkpoint(t)
	code, _, errOut := ctl(t, l, clienttest.ViewerToken, "audit", "key", "--out", keyFile)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, errOut, "audit key id "+cp.KeyID)
	code, _, errOut = ctl(t, l, clienttest.ViewerToken, "audit", "proof", event, "--out", bundleFile)
	require.Equal(t, exitOK, code, errOut)

	l.Server.Close() // offline from here on
	code, out, errOut := runCtl(t, "audit", "verify-proof", "--key", keyFile, bundleFile)
	require.Equal(t, exitOK, code, out+errOut)
	assert.Regexp(t, `^VERIFIED: event `+event+` \(ca-`+caID+`@0\) is leaf \d+ of the tree of size \d+ signed at \S+ by audit key `+cp.KeyID+"\n$", out)

	var b proofBundle
	require.NoError(t, json.Unmarshal(mustRead(t, bundleFile), &b))
	require.Equal(t, cp.TreeSize, b.TreeSize)
	otherKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(&otherKey.PublicKey)
	require.NoError(t, err)
	otherKeyFile := filepath.Join(dir, "other.pem")
	require.NoError(t, os.WriteFile(otherKeyFile, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600))

	for name, tc := range map[string]struct {
		key    string
		change func(*proofBundle)
		want   string
	}{
		"wrong leaf index": {keyFile, func(b *proofBundle) { b.LeafIndex = (b.LeafIndex + 1) % b.TreeSize },
			"FAILED: the inclusion proof does not lead from event " + event},
		"another event's hash": {keyFile, func(b *proofBundle) { b.Event.Hash = history.Events[1].Hash },
			"FAILED: the inclusion proof does not lead"},
		"wrong root": {keyFile, func(b *proofBundle) { b.Checkpoint.Root[0] ^= 1 }, "FAILED: the signed note's root is"},
		"wrong size": {keyFile, func(b *proofBundle) { b.TreeSize++ }, "FAILED: the signed note is of a tree of size"},
		"wrong key":  {otherKeyFile, func(*proofBundle) {}, "FAILED: the checkpoint names audit key " + cp.KeyID + ", not the given key"},
		"bad signature": {keyFile, func(b *proofBundle) { b.Checkpoint.Signature[len(b.Checkpoint.Signature)-1] ^= 1 },
			"FAILED: the checkpoint's signature does not verify"},
		"note changed": {keyFile, func(b *proofBundle) { b.Checkpoint.Note += "\n" }, "FAILED: the checkpoint's signature does not verify"},
	} {
		t.Run(name, func(t *testing.T) {
			var copied proofBundle
			raw, _ := json.Marshal(b)
			require.NoError(t, json.Unmarshal(raw, &copied))
			code, out, _ := runCtl(t, "audit", "verify-proof", "--key", tc.key, writeBundle(t, copied, tc.change))
			assert.Equal(t, exitBroken, code)
			assert.Contains(t, out, tc.want)
		})
	}

	code, _, _ = runCtl(t, "audit", "verify-proof", bundleFile)
	assert.Equal(t, exitFailure, code, "--key is required")
	code, _, _ = runCtl(t, "audit", "verify-proof", "--key", filepath.Join(dir, "missing.pem"), bundleFile)
	assert.Equal(t, exitFailure, code)
}
