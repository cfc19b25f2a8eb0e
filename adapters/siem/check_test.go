package siem_test

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
)

// cloudEvent decodes a CloudEvent and returns it with its revision.
func cloudEvent(t testing.TB, b []byte) (events.CloudEvent, uint64) {
	t.Helper()
	var ce events.CloudEvent
	require.NoError(t, json.Unmarshal(b, &ce), "a CloudEvent: %s", b)
	require.Equal(t, "1.0", ce.SpecVersion)
	rev, err := strconv.ParseUint(ce.Revision, 10, 64)
	require.NoError(t, err)
	return ce, rev
}

// inOrder checks that, keeping the first delivery of each event, every stream's revisions come
// in increasing order, and returns the number of distinct events.
func inOrder(t testing.TB, payloads [][]byte) int {
	t.Helper()
	seen, last := map[string]bool{}, map[string]uint64{}
	for _, p := range payloads {
		ce, rev := cloudEvent(t, p)
		if seen[ce.ID] {
			continue
		}
		seen[ce.ID] = true
		if prev, ok := last[ce.Subject]; ok {
			require.Greater(t, rev, prev, "stream %s: revision %d arrived after %d", ce.Subject, rev, prev)
		}
		last[ce.Subject] = rev
	}
	return len(seen)
}

// randomName is a short random suffix for broker resources of one test.
func randomName(t testing.TB) string {
	var b [4]byte
	_, err := rand.Read(b[:])
	require.NoError(t, err)
	return hex.EncodeToString(b[:])
}

// writeFile writes content to a new file in a temporary folder and returns its path.
func writeFile(t testing.TB, name, content string) string {
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}
