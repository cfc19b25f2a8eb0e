package client_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/tests/clienttest"
)

// appendProbe appends one event of type typ to a new stream of the category; the projections
// know no such type and leave it alone.
func appendProbe(t *testing.T, l *clienttest.Ledger, category, typ string) {
	t.Helper()
	meta := events.Metadata{SchemaVersion: 1, OccurredAt: time.Now().UTC(), Actor: events.Actor{Subject: "prober"}}
	_, err := l.Store.Append(context.Background(), events.StreamName(category, uuid.New()), events.Head{},
		[]events.Proposed{{ID: uuid.New(), Type: typ, Data: []byte(`{}`), Metadata: meta}})
	require.NoError(t, err)
}

// storedPositions are the positions of every ledger event of $all, in order.
func storedPositions(t *testing.T, l *clienttest.Ledger) []uint64 {
	t.Helper()
	var out []uint64
	for r, err := range l.Store.ReadAll(t.Context(), 0) {
		require.NoError(t, err)
		if !strings.HasPrefix(r.Type, "$") && !events.IsSystemStream(r.Stream) {
			out = append(out, r.Position)
		}
	}
	return out
}

// seen collects what a tail handled.
type seen struct {
	mu        sync.Mutex
	positions []uint64
	types     []string
}

func (s *seen) handle(ce events.CloudEvent, position uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	typ, err := ce.EventType()
	if err != nil {
		return err
	}
	if ce.Position != strconv.FormatUint(position, 10) {
		return fmt.Errorf("event %s at position %s handed out as %d", ce.ID, ce.Position, position)
	}
	s.positions, s.types = append(s.positions, position), append(s.types, typ)
	return nil
}

func (s *seen) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.positions)
}

func (s *seen) all() ([]uint64, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]uint64(nil), s.positions...), append([]string(nil), s.types...)
}

func TestTailReadsTheHistoryFiltersAndTheNewest(t *testing.T) {
	l := clienttest.Start(t)
	c := client.New(l.URL, clienttest.ViewerToken)
	for _, typ := range []string{"ProbeSeen", "AgentEnrolled", "ProbeLost", "ProbeSeen"} {
		appendProbe(t, l, events.CategoryEndpoint, typ)
	}
	var history seen
	require.NoError(t, c.Tail(t.Context(), client.TailOptions{FromStart: true}, history.handle))
	positions, types := history.all()
	assert.Equal(t, storedPositions(t, l), positions)
	assert.Equal(t, []string{"ProbeSeen", "AgentEnrolled", "ProbeLost", "ProbeSeen"}, types)

	var filtered seen
	require.NoError(t, c.Tail(t.Context(), client.TailOptions{FromStart: true, Types: []string{"ProbeS", "Agent"}, Streams: []string{"endpoint-"}}, filtered.handle))
	_, types = filtered.all()
	assert.Equal(t, []string{"ProbeSeen", "AgentEnrolled", "ProbeSeen"}, types)

	var newest seen
	require.NoError(t, c.Tail(t.Context(), client.TailOptions{Last: 2}, newest.handle))
	_, types = newest.all()
	assert.Equal(t, []string{"ProbeLost", "ProbeSeen"}, types)

	var after seen
	require.NoError(t, c.Tail(t.Context(), client.TailOptions{After: positions[1]}, after.handle))
	got, _ := after.all()
	assert.Equal(t, positions[2:], got)
}

// TestTailReconnectsWithoutGapsOrDuplicates drops the tail's connections while events are
// appended: every event is handled once, in order.
func TestTailReconnectsWithoutGapsOrDuplicates(t *testing.T) {
	l := clienttest.Start(t)
	for range 3 {
		appendProbe(t, l, events.CategoryEndpoint, "ProbeSeen")
	}
	ctx, cancel := context.WithCancel(t.Context())
	var got seen
	var drops atomic.Int32
	done := make(chan error, 1)
	go func() {
		done <- client.New(l.URL, clienttest.AdminToken).Tail(ctx, client.TailOptions{FromStart: true, Follow: true,
			OnReconnect: func(error) { drops.Add(1) }}, got.handle)
	}()
	want := 3
	require.Eventually(t, func() bool { return got.count() == want }, 10*time.Second, 10*time.Millisecond)
	for round := range 3 {
		l.Server.CloseClientConnections()
		for range round + 1 { // appended while the tail is away
			appendProbe(t, l, events.CategoryAgent, "AgentEnrolled")
			want++
		}
		require.Eventually(t, func() bool { return got.count() == want }, 10*time.Second, 10*time.Millisecond, "round %d", round)
	}
	positions, _ := got.all()
	assert.Equal(t, storedPositions(t, l), positions, "every event once, in order")
	assert.GreaterOrEqual(t, drops.Load(), int32(3), "the tail reconnected after each drop")
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
}

func TestTailRefusals(t *testing.T) {
	l := clienttest.Start(t)
	err := client.New(l.URL, clienttest.DevOpsToken).Tail(t.Context(), client.TailOptions{Follow: true}, func(events.CloudEvent, uint64) error {
		return nil
	})
	var apiErr *client.Error
	require.ErrorAs(t, err, &apiErr, "a refusal is not retried")
	assert.Equal(t, http.StatusForbidden, apiErr.Status)
	assert.Contains(t, apiErr.Detail, "certificate routes")

	err = client.New("http://127.0.0.1:1", clienttest.AdminToken).Tail(t.Context(), client.TailOptions{Follow: true},
		func(events.CloudEvent, uint64) error { return nil })
	require.Error(t, err, "a first connection that fails is not retried")
	assert.Contains(t, err.Error(), "GET /api/v1/events/stream")

	appendProbe(t, l, events.CategoryEndpoint, "ProbeSeen")
	stop := errors.New("stop")
	err = client.New(l.URL, clienttest.AdminToken).Tail(t.Context(), client.TailOptions{FromStart: true, Follow: true},
		func(events.CloudEvent, uint64) error { return stop })
	assert.Equal(t, stop, err, "the handler's error comes back as it is")
}
