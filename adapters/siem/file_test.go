package siem_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
)

// TestFileRotates forwards to a JSON-lines file that rotates at 4 KiB: the newest events are in
// path, path.1 … path.keep, nothing beyond keep remains, no file exceeds the limit, and every
// line is a CloudEvent; with enough files kept, every event is there once.
func TestFileRotates(t *testing.T) {
	e := newEnv(t)
	e.appendEvents(t, uniform(40, events.CategoryCertificate, "CertificateIssued", 5), 1, 0)
	want := e.ledgerEvents(t, nil)
	dir := t.TempDir()
	small, large := filepath.Join(dir, "small.jsonl"), filepath.Join(dir, "all.jsonl")
	f, _ := e.start(t, config(t, fmt.Sprintf(`{"sinks":[
		{"name":"small","kind":"file","path":%q,"max_bytes":4096,"keep":3},
		{"name":"all","kind":"file","path":%q,"max_bytes":4096,"keep":1000}]}`, small, large)))
	waitFor(t, 30*time.Second, "the file sinks to catch up", func() bool { return caughtUp(t, f, "small", "all") })

	var kept [][]byte
	for k := 4; k >= 0; k-- {
		path := small
		if k > 0 {
			path = fmt.Sprintf("%s.%d", small, k)
		}
		info, err := os.Stat(path)
		if k == 4 {
			assert.ErrorIs(t, err, os.ErrNotExist, "only keep rotated files remain")
			continue
		}
		require.NoError(t, err)
		assert.LessOrEqual(t, info.Size(), int64(4096))
		kept = append(kept, fileLines(t, path)...)
	}
	assert.Less(t, len(kept), len(want))
	for _, line := range kept {
		ce, _ := cloudEvent(t, line)
		assert.Contains(t, want, ce.ID)
	}

	var all [][]byte
	matches, err := filepath.Glob(large + ".*")
	require.NoError(t, err)
	for k := len(matches); k >= 1; k-- {
		all = append(all, fileLines(t, fmt.Sprintf("%s.%d", large, k))...)
	}
	all = append(all, fileLines(t, large)...)
	assert.Greater(t, len(matches), 5, "rotated several times")
	assert.Len(t, all, len(want))
	assert.Equal(t, len(want), inOrder(t, all))
}

// TestFilters forwards to sinks with type prefixes, stream prefixes and both: each gets exactly
// the events that match.
func TestFilters(t *testing.T) {
	e := newEnv(t)
	e.appendEvents(t, append(append(
		uniform(10, events.CategoryCertificate, "CertificateIssued", 3),
		uniform(10, events.CategoryCertificate, "RevocationRecorded", 2)...),
		uniform(10, events.CategoryCA, "CertificateAuthorityCreated", 2)...), 1, 0)
	dir := t.TempDir()
	sinks := map[string]func(events.Envelope) bool{
		"types":   func(e events.Envelope) bool { return strings.HasPrefix(e.Type, "Certificate") },
		"streams": func(e events.Envelope) bool { return strings.HasPrefix(e.Stream, "ca-") },
		"both": func(e events.Envelope) bool {
			return strings.HasPrefix(e.Type, "Certificate") && strings.HasPrefix(e.Stream, "certificate-")
		},
	}
	e.start(t, config(t, fmt.Sprintf(`{"sinks":[
		{"name":"types","kind":"file","path":%q,"types":["Certificate"]},
		{"name":"streams","kind":"file","path":%q,"streams":["ca-"]},
		{"name":"both","kind":"file","path":%q,"types":["Certificate"],"streams":["certificate-"]}]}`,
		dir+"/types", dir+"/streams", dir+"/both")))
	for name, keep := range sinks {
		want := e.ledgerEvents(t, keep)
		require.NotEmpty(t, want)
		waitFor(t, 30*time.Second, "sink "+name, func() bool {
			_, err := os.Stat(filepath.Join(dir, name))
			return err == nil && len(fileLines(t, filepath.Join(dir, name))) >= len(want)
		})
		got := map[string]bool{}
		for _, line := range fileLines(t, filepath.Join(dir, name)) {
			ce, _ := cloudEvent(t, line)
			assert.Contains(t, want, ce.ID, "sink %s got %s %s", name, ce.Type, ce.Subject)
			got[ce.ID] = true
		}
		assert.Len(t, got, len(want), "sink %s", name)
	}
	assert.Len(t, e.ledgerEvents(t, sinks["types"]), 50)
	assert.Len(t, e.ledgerEvents(t, sinks["streams"]), 20)
	assert.Len(t, e.ledgerEvents(t, sinks["both"]), 30)
}
