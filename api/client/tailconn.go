package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/certledger/certledger/events"
)

// connect opens one connection and reads it until it ends: nil when the server ended a stream
// without Follow, an error otherwise.
func (t *tailer) connect(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	req, err := t.request(ctx)
	if err != nil {
		return err
	}
	target := "GET " + Prefix + "/events/stream"
	stream := *t.c.http // the same transport, without a deadline for the whole stream
	stream.Timeout = 0
	answered := func() bool { return true }
	if d := t.c.http.Timeout; d > 0 { // the answer's headers must come in time, as for other calls
		answered = time.AfterFunc(d, func() { cancel(fmt.Errorf("no answer within %s", d)) }).Stop
	}
	resp, err := stream.Do(req)
	answered()
	if err != nil {
		return fmt.Errorf("%s: %w", target, causeOf(ctx, err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
		return errorOf(&Response{Status: resp.StatusCode, Header: resp.Header, Body: raw})
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "text/event-stream" {
		return streamError{fmt.Errorf("%s: the answer is %q, not an event stream", target, resp.Header.Get("Content-Type"))}
	}
	t.connected, t.progressed = true, false
	idle := time.AfterFunc(tailIdle, func() { cancel(fmt.Errorf("nothing came for %s", tailIdle)) })
	defer idle.Stop()
	err = readSSE(resp.Body, func() { idle.Reset(tailIdle) }, t.frame)
	if err == nil && !t.opts.Follow {
		return nil
	}
	if err == nil {
		err = errors.New("the server ended the stream")
	}
	return fmt.Errorf("%s: %w", target, causeOf(ctx, err))
}

// request is the stream request: after the last position handled, else where opts start.
func (t *tailer) request(ctx context.Context) (*http.Request, error) {
	q := url.Values{"type": t.opts.Types, "stream": t.opts.Streams, "follow": {strconv.FormatBool(t.opts.Follow)}}
	switch {
	case t.positioned:
	case t.opts.FromStart:
		q.Set("from", "start")
	case t.opts.Last > 0:
		q.Set("last", strconv.Itoa(t.opts.Last))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.c.base+Prefix+"/events/stream?"+q.Encode(), nil)
	if err != nil {
		return nil, fmt.Errorf("GET %s/events/stream: %w", Prefix, err)
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("User-Agent", t.c.userAgent)
	if t.c.token != "" {
		req.Header.Set("Authorization", "Bearer "+t.c.token)
	}
	if t.positioned {
		req.Header.Set("Last-Event-ID", strconv.FormatUint(t.pos, 10))
	}
	return req, nil
}

// frame handles one frame: an event, or (an id without data) a position to resume after.
func (t *tailer) frame(f sseFrame) error {
	t.progressed = true
	pos, err := strconv.ParseUint(f.id, 10, 64)
	if f.hasID && err != nil {
		return streamError{fmt.Errorf("frame id %q is not a position in $all", f.id)}
	}
	if len(f.data) == 0 {
		t.pos, t.positioned = pos, true
		return nil
	}
	var ce events.CloudEvent
	if err := json.Unmarshal([]byte(strings.Join(f.data, "\n")), &ce); err != nil {
		return streamError{fmt.Errorf("frame %s: the data is not a CloudEvent: %w", f.id, err)}
	}
	if !f.hasID {
		if pos, err = strconv.ParseUint(ce.Position, 10, 64); err != nil {
			return streamError{fmt.Errorf("event %s has no position", ce.ID)}
		}
	}
	if t.positioned && pos <= t.pos {
		return nil // handled before a reconnect
	}
	if err := t.handle(ce, pos); err != nil {
		return handlerError{err}
	}
	t.pos, t.positioned = pos, true
	return nil
}

// causeOf is why ctx was canceled (no answer in time, a silent connection) when it was, else err.
func causeOf(ctx context.Context, err error) error {
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	return err
}
