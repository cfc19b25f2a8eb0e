package main

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/tests/clienttest"
	"github.com/certledger/certledger/tests/testutil"
)

// newestEvents are the newest n ledger events of the ledger's store, oldest first.
func newestEvents(t *testing.T, l *clienttest.Ledger, n int) []events.Envelope {
	t.Helper()
	var all []events.Envelope
	for r, err := range l.Store.ReadAll(t.Context(), 0) {
		require.NoError(t, err)
		if env, err := events.ParseEnvelope(r); err == nil && !events.IsSystemStream(r.Stream) {
			all = append(all, env)
		}
	}
	require.GreaterOrEqual(t, len(all), n)
	return all[len(all)-n:]
}

func TestEventsTailThroughTheAPI(t *testing.T) {
	l := clienttest.Start(t)
	pkiSetup(t, l)
	want := newestEvents(t, l, 3)

	code, out, errOut := ctl(t, l, clienttest.ViewerToken, "events", "tail", "-n", "3")
	require.Equal(t, exitOK, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3, out)
	for i, e := range want {
		assert.Regexp(t, fmt.Sprintf(`^%d +\S+Z  %s@%d  %s  actor=admin  hash=%s$`, e.Position, regexp.QuoteMeta(e.Stream),
			e.Revision, e.Type, e.Hash.String()[:16]), lines[i])
	}

	code, out, errOut = ctl(t, l, clienttest.ViewerToken, "events", "tail", "-n", "3", "-o", "json")
	require.Equal(t, exitOK, code, errOut)
	lines = strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3, out)
	for i, line := range lines {
		var ce events.CloudEvent
		require.NoError(t, json.Unmarshal([]byte(line), &ce), "one CloudEvent per line")
		assert.Equal(t, want[i].ID.String(), ce.ID)
		assert.Equal(t, fmt.Sprint(want[i].Position), ce.Position)
	}

	code, out, errOut = ctl(t, l, clienttest.ViewerToken, "events", "tail", "-n", "100", "--stream", "profile-")
	require.Equal(t, exitOK, code, errOut)
	lines = strings.Split(strings.TrimSpace(out), "\n")
	require.NotEmpty(t, lines)
	for _, line := range lines {
		assert.Contains(t, line, "  profile-", "--stream keeps the profile's events")
	}
}

func TestEventsTailFollowsThroughTheAPI(t *testing.T) {
	l := clienttest.Start(t)
	ctx, cancel := context.WithCancel(t.Context())
	var out, errOut testutil.SyncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"events", "tail", "-n", "0", "--follow", "--url", l.URL, "--token", clienttest.AdminToken}, &out, &errOut)
	}()
	stream := events.StreamName(events.CategoryEndpoint, uuid.New())
	meta := events.Metadata{SchemaVersion: 1, OccurredAt: time.Now().UTC(), Actor: events.Actor{Subject: "bob"}}
	head := events.Head{}
	// Appended until the tail, which starts from now, has shown one.
	require.Eventually(t, func() bool {
		var err error
		head, err = l.Store.Append(context.Background(), stream, head,
			[]events.Proposed{{ID: uuid.New(), Type: "ProbeSeen", Data: []byte(`{}`), Metadata: meta}})
		require.NoError(t, err)
		return strings.Contains(out.String(), stream+"@")
	}, 10*time.Second, 200*time.Millisecond, errOut.String())
	assert.Contains(t, out.String(), "ProbeSeen  actor=bob  hash=")

	cancel()
	assert.Equal(t, exitOK, <-done, errOut.String())
}

func TestEventsTailReadsTheStoreWhenOnlyItIsConfigured(t *testing.T) {
	url, _, streams := ledger(t)
	t.Setenv("LEDGER_EVENTSTORE_URL", url)
	t.Setenv("LEDGER_TOKEN", "")
	code, out, errOut := runCtl(t, "events", "tail", "-n", "1")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, streams[1]+"@0  Issued  actor=alice")
}

func TestEventsTailExitCodes(t *testing.T) {
	t.Setenv("LEDGER_EVENTSTORE_URL", "") // the API, even without a token
	t.Setenv("LEDGER_TOKEN", "")
	l := clienttest.Start(t)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"DEVOPS", []string{"--url", l.URL, "--token", clienttest.DevOpsToken}, exitRefused, "403 Forbidden"},
		{"no token", []string{"--url", l.URL, "--token", ""}, exitRefused, "401 Unauthorized"},
		{"unreachable", []string{"--url", "http://127.0.0.1:1", "--token", "x"}, exitFailure, "GET /api/v1/events/stream"},
		{"negative -n", []string{"-n", "-1", "--url", l.URL}, exitFailure, "-n takes a number"},
		{"too many", []string{"-n", "10001", "--url", l.URL, "--token", clienttest.AdminToken}, exitRefused, "last must be"},
		{"filters on the store", []string{"--type", "CA", "--eventstore-url", "esdb://127.0.0.1:1?tls=false"}, exitFailure, "--type and --stream"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCtl(t, append([]string{"events", "tail"}, tc.args...)...)
			assert.Equal(t, tc.code, code, errOut)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tc.stderr)
		})
	}
}
