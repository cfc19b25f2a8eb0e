package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/clienttest"
)

// TestASigningWindowRefusesRequestsOutsideIt creates, with ledgerctl, a key that signs only in
// a window two hours from now and one that signs all day: the first refuses a request with
// the reason and appends nothing, the second signs it.
func TestASigningWindowRefusesRequestsOutsideIt(t *testing.T) {
	l, caID := newSigningLedger(t, clienttest.Options{}, "Window Root")
	admin, dev := clienttest.AdminToken, clienttest.DevOpsToken
	h := time.Now().UTC().Hour()
	later := fmt.Sprintf("%02d:00-%02d:00", (h+2)%24, (h+3)%24)
	create := func(name, window string) string {
		code, out, errOut := ctl(t, l, admin, "signing-key", "create", "--name", name, "--team", "web", "--ca", caID,
			"--cn", name, "--window", window)
		require.Equal(t, exitOK, code, errOut)
		assert.Regexp(t, `(?m)^Windows \(UTC\):\s+`+window+`$`, out)
		return fieldOf(t, out, "ID")
	}
	closed, open := create("closed", "mon-sun "+later), create("open", "00:00-24:00")
	file := filepath.Join(t.TempDir(), "app.bin")
	require.NoError(t, os.WriteFile(file, []byte("an artifact"), 0o600))

	before, err := l.Store.LastPosition(t.Context())
	require.NoError(t, err)
	code, _, errOut := ctl(t, l, dev, "sign", "file", closed, file)
	assert.Equal(t, exitRefused, code, errOut)
	assert.Contains(t, errOut, "signs only in mon-sun "+later+" (UTC)")
	after, err := l.Store.LastPosition(t.Context())
	require.NoError(t, err)
	assert.Equal(t, before, after, "the refused request appends nothing")
	code, out, errOut := ctl(t, l, dev, "sign", "file", open, file)
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^Status:\s+signed$`, out)

	code, _, errOut = ctl(t, l, admin, "signing-key", "create", "--name", "bad", "--team", "web", "--ca", caID,
		"--cn", "bad", "--window", "weekdays 9-5")
	assert.Equal(t, exitRefused, code)
	assert.Contains(t, errOut, "window")
}
