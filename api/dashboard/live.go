package dashboard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/events"
)

// liveEvent is what the browser gets of each ledger event: enough for the audit tail and to
// know that a page is stale, never the event's data.
type liveEvent struct {
	Type     string    `json:"type"`
	Subject  string    `json:"subject"`
	Position uint64    `json:"position"`
	Time     time.Time `json:"time"`
	Actor    string    `json:"actor"`
}

// resumeAfter is where a feed starts: after the Last-Event-ID of a reconnecting EventSource,
// else after the page's position (?after=), else (0) from now.
func resumeAfter(c echo.Context) uint64 {
	for _, v := range []string{c.Request().Header.Get("Last-Event-ID"), c.QueryParam("after")} {
		if pos, err := strconv.ParseUint(v, 10, 64); err == nil && pos > 0 {
			return pos
		}
	}
	return 0
}

// events relays the API's event stream (GET /api/v1/events/stream, as the caller may open
// it) to the browser's EventSource: one unnamed frame per event after resumeAfter. A caller the
// API refuses (DEVOPS: the stream shows every team's events) gets one "closed" frame, and
// the script stops listening.
func (db *Dashboard) events(c echo.Context) error {
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "text/event-stream")
	w.Header().Set(echo.HeaderCacheControl, "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	_, _ = fmt.Fprint(w, ": live\n\n")
	w.Flush()
	ctx, cancel := context.WithCancel(c.Request().Context())
	defer cancel()
	if db.closing != nil {
		go func() {
			select {
			case <-db.closing:
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	err := db.apiAs(c).Tail(ctx, client.TailOptions{Follow: true, After: resumeAfter(c)}, func(e events.CloudEvent, pos uint64) error {
		db.caughtUp(ctx, pos)
		data, err := json.Marshal(liveEvent{Type: e.Type, Subject: e.Subject, Position: pos, Time: e.Time, Actor: e.Actor})
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "id: %d\ndata: %s\n\n", pos, data); err != nil {
			return err
		}
		w.Flush()
		return nil
	})
	var apiErr *client.Error
	if errors.As(err, &apiErr) {
		_, _ = fmt.Fprintf(w, "event: closed\ndata: %q\n\n", apiErr.Title)
		w.Flush()
	}
	return nil
}
