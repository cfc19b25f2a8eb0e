package rest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/events"
)

// keepAlive is how often a following stream sends a comment line, so that clients and proxies
// see a quiet connection alive. A variable for the tests.
var keepAlive = 15 * time.Second

// flushEvery bounds how many frames wait for a flush while a stream catches up; live, each
// event is flushed at once.
const flushEvery = 64

// sse writes Server-Sent Events frames to a response. After a write fails (the client went
// away) it writes nothing more; err says so.
type sse struct {
	c         echo.Context
	source    string // CloudEvents source
	unflushed int
	err       error
}

// openSSE answers 200 with the headers of an event stream and sends them at once.
func openSSE(c echo.Context, source string) *sse {
	header := c.Response().Header()
	header.Set(echo.HeaderContentType, "text/event-stream")
	header.Set(echo.HeaderCacheControl, "no-store")
	header.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	c.Response().WriteHeader(http.StatusOK)
	s := &sse{c: c, source: source}
	s.flush()
	return s
}

// event writes a ledger event as a frame: its position as the id, its type, its CloudEvent.
// An event whose stored metadata is not the ledger's is logged and left out (audit verify is
// what reports such events).
func (s *sse) event(r events.Raw) error {
	env, err := events.ParseEnvelope(r)
	var data []byte
	if err == nil {
		data, err = json.Marshal(events.ToCloudEvent(env, s.source)) // compact: one line
	}
	if err != nil {
		slog.WarnContext(s.c.Request().Context(), "event stream: left out an event that is not a ledger event",
			"position", r.Position, "stream", r.Stream, "error", err)
		return s.err
	}
	typ := strings.NewReplacer("\r", "", "\n", "").Replace(r.Type)
	s.write(fmt.Sprintf("id: %d\nevent: %s\ndata: %s\n\n", r.Position, typ, data))
	return s.err
}

// position writes a frame with only an id: it moves the client's resume position.
func (s *sse) position(p uint64) { s.write(fmt.Sprintf("id: %d\n\n", p)) }

// comment writes a comment line, which clients ignore.
func (s *sse) comment(text string) { s.write(": " + text + "\n") }

func (s *sse) write(frame string) {
	if s.err == nil {
		_, s.err = io.WriteString(s.c.Response(), frame)
		s.unflushed++
	}
}

// flush sends what was written.
func (s *sse) flush() {
	if s.err == nil {
		s.err = http.NewResponseController(s.c.Response().Writer).Flush()
		s.unflushed = 0
	}
}

// abort ends the response so that the client sees a broken stream, not a complete one.
func abort() { panic(http.ErrAbortHandler) }

// replay sends the stored events after a position that the query selects, then ends. A failed
// read, or a server shutting down, aborts the response: a client must not take a cut-off
// history for the whole of it.
func (h *handlers) replay(ctx context.Context, s *sse, after uint64, q tailQuery) {
	for r, err := range h.Events.ReadAll(ctx, after) {
		if err != nil {
			if ctx.Err() == nil {
				slog.WarnContext(ctx, "event stream: reading $all failed", "after", after, "error", err)
			}
			abort()
		}
		select {
		case <-h.Closing:
			abort()
		default:
		}
		if q.match(r) && s.event(r) != nil {
			return
		}
		if s.unflushed >= flushEvery {
			s.flush()
		}
	}
	s.flush()
}

// follow sends the events after a position as the store delivers them, stored then live, until
// the client goes away or the server shuts down; while nothing comes, a keepalive comment every
// keepAlive. Catching up, frames are flushed in batches; live, one by one.
func (h *handlers) follow(ctx context.Context, s *sse, after uint64, q tailQuery) {
	ctx, cancel := context.WithCancel(ctx)
	feed := make(chan events.Raw, flushEvery)
	ended := make(chan struct{})
	var subErr error
	go func() {
		defer close(ended)
		subErr = h.Events.Subscribe(ctx, after, events.Subscription{Filter: q.storeFilter()}, func(r events.Raw) error {
			select {
			case feed <- r:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	defer func() { cancel(); <-ended }()
	ticker := time.NewTicker(keepAlive)
	defer ticker.Stop()
	for s.err == nil {
		select {
		case r := <-feed:
			if q.match(r) {
				_ = s.event(r)
			}
			if s.unflushed > 0 && (len(feed) == 0 || s.unflushed >= flushEvery) {
				s.flush()
			}
		case <-ticker.C:
			s.comment("keepalive")
			s.flush()
		case <-ended:
			if ctx.Err() == nil {
				slog.WarnContext(ctx, "event stream: the subscription to $all ended", "error", subErr)
			}
			return
		case <-ctx.Done():
			return
		case <-h.Closing:
			return
		}
	}
}

// newest returns the position of the newest event stored, which the stream continues after,
// and the newest q.last events the query selects, oldest first. It reads back from the end,
// four times as far each round, until it has enough or has read everything.
func (h *handlers) newest(ctx context.Context, q tailQuery) (uint64, []events.Raw, error) {
	for n := uint64(q.last); ; n *= 4 {
		raws, err := h.Events.ReadLast(ctx, n)
		if err != nil {
			return 0, nil, err
		}
		var top uint64
		if len(raws) > 0 {
			top = raws[len(raws)-1].Position
		}
		all := uint64(len(raws)) < n
		selected := slices.DeleteFunc(raws, func(r events.Raw) bool { return !q.match(r) })
		if len(selected) >= q.last || all {
			return top, selected[max(0, len(selected)-q.last):], nil
		}
	}
}
