package rest

// The event stream: GET /api/v1/events/stream shows the ledger's events of $all as Server-Sent
// Events, the stored ones and then, with follow, the new ones as they are appended.
//
// Invariants:
//   - A frame's id is the event's position in $all, so Last-Event-ID (or ?after) resumes exactly
//     after the last event a client handled: nothing is missed or sent twice. A frame with an id
//     and no data moves that resume position without carrying an event (the stream sends one
//     when it starts from now or from the newest events).
//   - Only ledger events are shown, never system events; its data is the event's CloudEvent
//     (events.ToCloudEvent) as JSON on one line.
//   - It shows every team's events, so only callers who read everything (readScope) may open it.
//   - The handler ends when the client goes away, when Deps.Closing is closed (server shutdown),
//     or, without follow, after the last event stored when it started.

import (
	"context"
	"iter"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// Events is what the event stream reads of the event store's $all; *eventstore.Store is one.
type Events interface {
	// ReadAll yields the stored events after a position (0: from the start), system ones too.
	ReadAll(ctx context.Context, after uint64) iter.Seq2[events.Raw, error]
	// ReadLast returns the newest n events, system ones too, oldest first.
	ReadLast(ctx context.Context, n uint64) ([]events.Raw, error)
	// LastPosition is the position of the newest event, 0 for an empty store.
	LastPosition(ctx context.Context) (uint64, error)
	// Subscribe delivers the events after a position, stored then live, until ctx ends.
	Subscribe(ctx context.Context, after uint64, opts events.Subscription, handle func(events.Raw) error) error
}

// DefaultEventSource is the CloudEvents source of the stream's events when Deps.EventSource is empty.
const DefaultEventSource = "urn:certledger"

// Bounds of the stream's query.
const (
	maxLast     = 10000 // ?last
	maxPrefixes = 16    // ?type and ?stream, each
)

func (h *handlers) eventRoutes() []Route {
	return []Route{
		{http.MethodGet, "/events/stream", Read, "Stream the ledger's events as Server-Sent Events, stored then live", h.streamEvents},
	}
}

// streamEvents serves the event stream. What can fail before the first byte (the caller's
// scope, the query, finding where to start) is a problem; after that, the stream just ends.
func (h *handlers) streamEvents(c echo.Context) error {
	if actor := actorOf(c); !mayReadAll(actor) {
		return forbidden("%s may not open the event stream: it shows every team's events, and DEVOPS reads only its "+
			"team's certificates and their events, through the certificate routes (GET /api/v1/certificates, "+
			"GET /api/v1/certificates/{id}/history)", actor.Subject)
	}
	q, err := parseTailQuery(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	after, newest, err := h.startOf(ctx, q)
	if err != nil {
		return err
	}
	s := openSSE(c, h.eventSource())
	for _, r := range newest {
		if s.event(r) != nil {
			return nil // the client went away
		}
	}
	if q.start != fromAfter {
		s.position(after)
	}
	s.flush()
	switch {
	case q.follow:
		h.follow(ctx, s, after, q)
	case q.start == fromAfter:
		h.replay(ctx, s, after, q)
	}
	return nil
}

// startOf finds the position the stream continues after, and the newest events to send first
// for ?last.
func (h *handlers) startOf(ctx context.Context, q tailQuery) (uint64, []events.Raw, error) {
	switch q.start {
	case fromAfter:
		return q.after, nil, nil
	case fromLast:
		return h.newest(ctx, q)
	}
	pos, err := h.Events.LastPosition(ctx)
	return pos, nil, err
}

// mayReadAll reports whether the actor reads every team's resources.
func mayReadAll(actor domain.Actor) bool {
	_, all := readScope(actor)
	return all
}

func (h *handlers) eventSource() string {
	if h.EventSource != "" {
		return h.EventSource
	}
	return DefaultEventSource
}
