package rest_test

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/rest"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/tests/clienttest"
	"github.com/certledger/certledger/tests/testutil"
)

// follow opens a following stream and copies what comes into a buffer until ctx ends.
func follow(ctx context.Context, t *testing.T, l *clienttest.Ledger, query string, headers ...string) *testutil.SyncBuffer {
	t.Helper()
	resp := openStream(ctx, t, l.Server, query, adminToken, headers...)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var body testutil.SyncBuffer
	go func() { _, _ = io.Copy(&body, resp.Body) }()
	return &body
}

func TestEventStreamFollowsNewEvents(t *testing.T) {
	rest.SetKeepAlive(t, 50*time.Millisecond) // before the server starts
	l := clienttest.Start(t)
	old := appendEvents(t, l.Store, events.CategoryEndpoint, "ProbeSeen")
	last, err := l.Store.LastPosition(t.Context())
	require.NoError(t, err)

	body := follow(t.Context(), t, l, "")
	require.Eventually(t, func() bool { return len(framesOf(t, body.String())) == 1 }, 5*time.Second, 10*time.Millisecond)
	assert.Equal(t, []sseFrame{{ID: strconv.FormatUint(last, 10)}}, framesOf(t, body.String()),
		"from now, the stream first says where it starts")

	fresh := appendEvents(t, l.Store, events.CategoryEndpoint, "ProbeLost")
	require.Eventually(t, func() bool { return slices.Contains(subjects(t, framesOf(t, body.String())), fresh) },
		time.Second, 10*time.Millisecond, "an event appended after the client connected arrives within a second")
	assert.NotContains(t, subjects(t, framesOf(t, body.String())), old, "events stored before are not sent")
	require.Eventually(t, func() bool { return strings.Contains(body.String(), "\n: keepalive\n") }, 5*time.Second, 10*time.Millisecond)
}

func TestEventStreamFollowsFromAPositionWithFilters(t *testing.T) {
	l := clienttest.Start(t)
	appendEvents(t, l.Store, events.CategoryEndpoint, "ProbeSeen")
	start := ledgerEvents(t, l.Store)[0].Position
	stored := appendEvents(t, l.Store, events.CategoryEndpoint, "ProbeSeen", "ProbeLost")

	body := follow(t.Context(), t, l, "?type=ProbeSeen&stream=endpoint-", "Last-Event-ID", strconv.FormatUint(start, 10))
	live := appendEvents(t, l.Store, events.CategoryEndpoint, "ProbeSeen")
	appendEvents(t, l.Store, events.CategoryAgent, "ProbeSeen")
	require.Eventually(t, func() bool { return slices.Contains(subjects(t, framesOf(t, body.String())), live) },
		5*time.Second, 10*time.Millisecond)
	assert.Equal(t, []string{stored, live}, subjects(t, framesOf(t, body.String())), "stored then live, filtered")
}

// TestEventStreamHandlerEndsWithTheRequest checks that a following stream's handler returns when
// its client goes away: the server can close only when no handler runs.
func TestEventStreamHandlerEndsWithTheRequest(t *testing.T) {
	l := clienttest.Start(t)
	ctx, cancel := context.WithCancel(t.Context())
	follow(ctx, t, l, "?from=start") // its headers came: the handler runs
	cancel()

	closed := make(chan struct{})
	go func() { l.Server.Close(); close(closed) }()
	require.Eventually(t, func() bool {
		select {
		case <-closed:
			return true
		default:
			return false
		}
	}, 5*time.Second, 10*time.Millisecond, "the stream's handler returned after the client went away")
}
