package rest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/events"
)

// sseFrame is a frame of an event stream as the tests read it; comments are left out.
type sseFrame struct{ ID, Event, Data string }

// framesOf splits the complete frames of an event stream, those ended by a blank line.
func framesOf(t *testing.T, body string) []sseFrame {
	t.Helper()
	body = body[:strings.LastIndex(body, "\n\n")+1]
	out := []sseFrame{}
	for _, block := range strings.Split(body, "\n\n") {
		var f sseFrame
		empty := true
		for _, line := range strings.Split(block, "\n") {
			if line == "" || strings.HasPrefix(line, ":") {
				continue
			}
			field, value, ok := strings.Cut(line, ": ")
			require.Truef(t, ok, "a line of the stream is field: value, not %q", line)
			switch field {
			case "id":
				f.ID = value
			case "event":
				f.Event = value
			case "data":
				require.Emptyf(t, f.Data, "one data line per frame: %q", block)
				f.Data = value
			default:
				t.Fatalf("unknown field in %q", line)
			}
			empty = false
		}
		if !empty {
			out = append(out, f)
		}
	}
	return out
}

// openStream sends GET /api/v1/events/stream<query> as token, headers being name, value pairs,
// and returns the answer once its headers came; the body closes when the test ends.
func openStream(ctx context.Context, t *testing.T, srv *httptest.Server, query, token string, headers ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/v1/events/stream"+query, nil)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

// readStream reads a stream that ends (follow=false) and returns its answer and frames.
func readStream(t *testing.T, srv *httptest.Server, query, token string, headers ...string) (*http.Response, []sseFrame) {
	t.Helper()
	resp := openStream(t.Context(), t, srv, query, token, headers...)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if resp.StatusCode != http.StatusOK {
		return resp, nil
	}
	require.True(t, strings.HasSuffix(string(body), "\n\n") || len(body) == 0, "the stream ends after a whole frame: %q", body)
	return resp, framesOf(t, string(body))
}

// appendEvents appends events of the given types to a new stream of the category, and returns
// the stream. The projections know none of these types and leave them alone.
func appendEvents(t *testing.T, store *eventstore.Store, category string, types ...string) string {
	t.Helper()
	stream := events.StreamName(category, uuid.New())
	meta := events.Metadata{SchemaVersion: 1, OccurredAt: time.Now().UTC(), Actor: events.Actor{Subject: "prober"}}
	var batch []events.Proposed
	for _, typ := range types {
		batch = append(batch, events.Proposed{ID: uuid.New(), Type: typ, Data: []byte(`{"probe":true}`), Metadata: meta})
	}
	_, err := store.Append(t.Context(), stream, events.Head{}, batch)
	require.NoError(t, err)
	return stream
}

// ledgerEvents is every ledger event of $all, in order, as the store has them.
func ledgerEvents(t *testing.T, store *eventstore.Store) []events.Raw {
	t.Helper()
	var out []events.Raw
	for r, err := range store.ReadAll(t.Context(), 0) {
		require.NoError(t, err)
		if !strings.HasPrefix(r.Type, "$") && !events.IsSystemStream(r.Stream) {
			out = append(out, r)
		}
	}
	return out
}

// subjects are the streams of the frames' events, and "position" for a frame without data.
func subjects(t *testing.T, frames []sseFrame) []string {
	t.Helper()
	out := make([]string, len(frames))
	for i, f := range frames {
		out[i] = "position"
		if f.Data != "" {
			out[i] = cloudEventOf(t, f).Subject
		}
	}
	return out
}
