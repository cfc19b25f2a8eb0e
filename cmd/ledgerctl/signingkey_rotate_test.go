package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/clienttest"
)

// TestRotateASigningKey rotates a key with ledgerctl: the successor is a new key and
// certificate with the same policy that signs; the old key refuses requests naming its
// successor, and what it signed before still verifies with openssl; key-usage records the
// rotation.
func TestRotateASigningKey(t *testing.T) {
	l, caID := newSigningLedger(t, clienttest.Options{}, "Rotation Root")
	admin, dev := clienttest.AdminToken, clienttest.DevOpsToken
	old := jsonOf(t, l, admin, "signing-key", "create", "--name", "release", "--team", "web", "--ca", caID,
		"--cn", "Web release", "--window", "00:00-24:00")
	oldID := old["id"].(string)
	dir := t.TempDir()
	file := filepath.Join(dir, "app.bin")
	require.NoError(t, os.WriteFile(file, []byte("release 1"), 0o600))
	before := filepath.Join(dir, "before.p7s")
	code, _, errOut := ctl(t, l, dev, "sign", "file", oldID, file, "--out", before)
	require.Equal(t, exitOK, code, errOut)

	code, _, _ = ctl(t, l, dev, "signing-key", "rotate", oldID)
	assert.Equal(t, exitRefused, code, "a DEVOPS does not rotate")
	next := jsonOf(t, l, admin, "signing-key", "rotate", oldID, "--reason", "yearly rotation", "--idempotency-key", "rot-1")
	nextID := next["id"].(string)
	assert.NotEqual(t, oldID, nextID)
	assert.NotEqual(t, old["serial"], next["serial"], "a new certificate")
	assert.NotEqual(t, old["certificate"], next["certificate"])
	for _, field := range []string{"name", "team", "usage", "key_algorithm", "ca_id", "policy", "chain"} {
		assert.Equal(t, old[field], next[field], field)
	}
	again := jsonOf(t, l, admin, "signing-key", "rotate", oldID, "--reason", "yearly rotation", "--idempotency-key", "rot-1")
	assert.Equal(t, nextID, again["id"], "a replay is the same rotation")

	shown := jsonOf(t, l, dev, "signing-key", "show", oldID)
	assert.Equal(t, "rotated", shown["status"])
	assert.Equal(t, nextID, shown["successor_id"])
	code, _, errOut = ctl(t, l, dev, "sign", "file", oldID, file, "--out", filepath.Join(dir, "x.p7s"))
	assert.Equal(t, exitRefused, code)
	assert.Contains(t, errOut, "its successor is "+nextID)
	after := filepath.Join(dir, "after.p7s")
	code, _, errOut = ctl(t, l, dev, "sign", "file", nextID, file, "--out", after)
	require.Equal(t, exitOK, code, errOut)

	chainFile := filepath.Join(dir, "chain.pem")
	require.NoError(t, os.WriteFile(chainFile, []byte(old["chain"].(string)), 0o600))
	for _, p7s := range []string{before, after} {
		out, err := exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7s, "-content", file,
			"-CAfile", chainFile, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
		assert.NoError(t, err, "%s verifies: %s", filepath.Base(p7s), out)
	}

	usage, found, err := scanSigningKey(t.Context(), l.Store, oldID)
	require.NoError(t, err)
	require.True(t, found)
	require.NotEmpty(t, usage.Events)
	assert.Equal(t, "Rotated: succeeded by signing key "+nextID+"; signs nothing more", usage.Events[len(usage.Events)-1].Use)
}
