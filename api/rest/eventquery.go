package rest

import (
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/events"
)

// start says where a stream begins.
type start int

const (
	fromNow   start = iota // after the newest event stored now
	fromAfter              // after a position; 0 is the whole history
	fromLast               // with the newest events
)

// tailQuery is a stream request's parameters.
type tailQuery struct {
	start          start
	after          uint64
	last           int
	follow         bool
	types, streams []string // prefixes; an event must match one of each list given
}

// parseTailQuery reads the parameters. A Last-Event-ID header wins over the query's start (after,
// from, last): it is how a client resumes, with the URL it first used.
func parseTailQuery(c echo.Context) (tailQuery, error) {
	params := c.QueryParams()
	q := tailQuery{follow: true, types: params["type"], streams: params["stream"]}
	if v := params.Get("follow"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return q, badRequest("follow must be true or false, not " + strconv.Quote(v))
		}
		q.follow = b
	}
	for _, list := range [][]string{q.types, q.streams} {
		if len(list) > maxPrefixes || slices.Contains(list, "") {
			return q, badRequest("type and stream take a non-empty prefix each, at most " + strconv.Itoa(maxPrefixes) + " of each")
		}
	}
	if id := strings.TrimSpace(c.Request().Header.Get("Last-Event-ID")); id != "" {
		after, err := strconv.ParseUint(id, 10, 64)
		if err != nil {
			return q, badRequest("Last-Event-ID must be the id of a frame the stream sent (a position in $all), not " + strconv.Quote(id))
		}
		q.start, q.after = fromAfter, after
		return q, nil
	}
	given := 0
	for _, name := range []string{"after", "from", "last"} {
		if params.Has(name) {
			given++
		}
	}
	var err error
	switch {
	case given > 1:
		return q, badRequest("after, from and last each say where the stream starts: give one of them")
	case params.Has("after"):
		q.start = fromAfter
		if q.after, err = strconv.ParseUint(params.Get("after"), 10, 64); err != nil {
			return q, badRequest("after must be a position in $all, as a frame's id gives it")
		}
	case params.Has("from"):
		switch params.Get("from") {
		case "start":
			q.start = fromAfter
		case "now":
		default:
			return q, badRequest("from must be start or now")
		}
	case params.Has("last"):
		q.start = fromLast
		if q.last, err = strconv.Atoi(params.Get("last")); err != nil || q.last < 1 || q.last > maxLast {
			return q, badRequest("last must be a number from 1 to " + strconv.Itoa(maxLast))
		}
	}
	return q, nil
}

// match reports whether a stored event is a ledger event the query selects.
func (q tailQuery) match(r events.Raw) bool {
	if r.Type == "" || strings.HasPrefix(r.Type, "$") || events.IsSystemStream(r.Stream) {
		return false
	}
	return hasAnyPrefix(r.Type, q.types) && hasAnyPrefix(r.Stream, q.streams)
}

// hasAnyPrefix reports whether s starts with one of prefixes; no prefixes select everything.
func hasAnyPrefix(s string, prefixes []string) bool {
	return len(prefixes) == 0 || slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(s, p) })
}

// storeFilter is the part of the query the store can apply: one kind of prefixes. match
// applies both kinds to what comes.
func (q tailQuery) storeFilter() *events.Filter {
	switch {
	case len(q.types) > 0:
		return &events.Filter{TypePrefixes: q.types}
	case len(q.streams) > 0:
		return &events.Filter{StreamPrefixes: q.streams}
	}
	return nil
}
