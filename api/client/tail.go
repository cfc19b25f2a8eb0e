package client

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/certledger/certledger/events"
)

// Reconnecting: the delay after a dropped connection doubles from tailMinRetry up to
// tailMaxRetry, and starts again at tailMinRetry once a connection delivered something. A
// connection silent for tailIdle counts as dropped: the server sends a keepalive every 15 s.
const (
	tailMinRetry = 250 * time.Millisecond
	tailMaxRetry = 5 * time.Second
	tailIdle     = time.Minute
)

// TailOptions say where a tail starts, which events it shows and whether it follows.
type TailOptions struct {
	// Where it starts, the first that is set: after the position After (one Tail handed out);
	// with the whole history (FromStart); with the newest Last events; else from now.
	After     uint64
	FromStart bool
	Last      int
	// Types and Streams keep the events whose type, and whose stream name, start with one of
	// the prefixes given.
	Types, Streams []string
	// Follow keeps the tail open for new events; without it the tail ends after the events
	// stored when it started.
	Follow bool
	// OnReconnect, when set, is told why a connection dropped before the tail reconnects.
	OnReconnect func(err error)
}

// Tail reads the ledger's event stream (GET /api/v1/events/stream) and calls handle with each
// event, as its CloudEvent, and its position in $all, in $all order. When a connection that was
// established drops, it reconnects with Last-Event-ID set to the last position handled, so that
// no event is missed or handled twice. It returns nil when a tail without Follow has shown
// everything, ctx's error when ctx ends, handle's error as it is, a *Error when the server
// refuses the stream (4xx), and any failure of the first connection.
func (c *Client) Tail(ctx context.Context, opts TailOptions, handle func(events.CloudEvent, uint64) error) error {
	t := &tailer{c: c, opts: opts, handle: handle, pos: opts.After, positioned: opts.After > 0}
	delay := tailMinRetry
	for {
		err := t.connect(ctx)
		var done handlerError
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.As(err, &done):
			return done.err
		case !t.connected || !retryable(err):
			return err
		}
		if t.progressed {
			delay = tailMinRetry
		}
		wait := delay
		var apiErr *Error
		if errors.As(err, &apiErr) && apiErr.RetryAfter > wait {
			wait = apiErr.RetryAfter
		}
		if opts.OnReconnect != nil {
			opts.OnReconnect(err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		delay = min(2*delay, tailMaxRetry)
	}
}

// tailer is one Tail: where it is, and whether it ever connected.
type tailer struct {
	c          *Client
	opts       TailOptions
	handle     func(events.CloudEvent, uint64) error
	pos        uint64 // the last position handled, when positioned
	positioned bool
	connected  bool // a connection was established once
	progressed bool // the last connection delivered a frame
}

// handlerError carries handle's error out of the stream reader.
type handlerError struct{ err error }

func (e handlerError) Error() string { return e.err.Error() }

// streamError is a stream that is not what the API sends; reconnecting would not help.
type streamError struct{ error }

// retryable tells whether reconnecting after err may help: dropped connections and server
// failures, not refusals.
func retryable(err error) bool {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return apiErr.Status >= 500 || apiErr.Status == http.StatusTooManyRequests || apiErr.Status == http.StatusRequestTimeout
	}
	return !errors.As(err, new(streamError))
}
