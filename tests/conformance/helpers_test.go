package conformance_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// opTimeout bounds every single call, so a broken server fails a scenario instead of hanging it.
const opTimeout = 30 * time.Second

// ctxFor returns a context that ends after d or when the test ends.
func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// newStream returns a unique stream name starting with prefix.
func newStream(prefix string) string { return prefix + "-" + uuid.NewString() }

// newEvent returns a JSON event of type typ with a fresh id, unique data and user metadata.
func newEvent(typ string) esdb.EventData {
	id := uuid.New()
	return esdb.EventData{
		EventID:     id,
		EventType:   typ,
		ContentType: esdb.ContentTypeJson,
		Data:        []byte(fmt.Sprintf(`{"id":%q,"at":%d}`, id, time.Now().UnixNano())),
		Metadata:    []byte(fmt.Sprintf(`{"actor":"conformance","id":%q}`, id)),
	}
}

// newEvents returns n events of type typ.
func newEvents(n int, typ string) []esdb.EventData {
	evs := make([]esdb.EventData, n)
	for i := range evs {
		evs[i] = newEvent(typ)
	}
	return evs
}

// appendOK appends evs with the expected revision and requires success.
func appendOK(t *testing.T, c *esdb.Client, stream string, exp esdb.ExpectedRevision, evs ...esdb.EventData) *esdb.WriteResult {
	t.Helper()
	wr, err := c.AppendToStream(ctxFor(t, opTimeout), stream, esdb.AppendToStreamOptions{ExpectedRevision: exp}, evs...)
	require.NoError(t, err, "append to %s with expected %#v", stream, exp)
	return wr
}

// collect drains a read; it returns what was read and the error that ended it (nil at the end).
func collect(rs *esdb.ReadStream, err error) ([]*esdb.RecordedEvent, error) {
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []*esdb.RecordedEvent
	for {
		ev, err := rs.Recv()
		if isEOF(err) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, ev.OriginalEvent())
	}
}

// readStream reads stream with opts and count.
func readStream(t *testing.T, c *esdb.Client, stream string, opts esdb.ReadStreamOptions, count uint64) ([]*esdb.RecordedEvent, error) {
	return collect(c.ReadStream(ctxFor(t, opTimeout), stream, opts, count))
}

// readWhole reads stream forwards from its start and requires success.
func readWhole(t *testing.T, c *esdb.Client, stream string) []*esdb.RecordedEvent {
	t.Helper()
	evs, err := readStream(t, c, stream, esdb.ReadStreamOptions{}, math.MaxInt64)
	require.NoError(t, err, "read %s", stream)
	return evs
}

// readAll reads $all with opts and count and requires success.
func readAll(t *testing.T, c *esdb.Client, opts esdb.ReadAllOptions, count uint64) []*esdb.RecordedEvent {
	t.Helper()
	evs, err := collect(c.ReadAll(ctxFor(t, opTimeout), opts, count))
	require.NoError(t, err, "read $all")
	return evs
}

// lastPosition returns the position of the last event in $all, or Start when $all is empty.
func lastPosition(t *testing.T, c *esdb.Client) esdb.AllPosition {
	t.Helper()
	evs := readAll(t, c, esdb.ReadAllOptions{Direction: esdb.Backwards, From: esdb.End{}}, 1)
	if len(evs) == 0 {
		return esdb.Start{}
	}
	return evs[0].Position
}

// inStreams keeps the events whose stream name starts with prefix.
func inStreams(evs []*esdb.RecordedEvent, prefix string) []*esdb.RecordedEvent {
	var out []*esdb.RecordedEvent
	for _, ev := range evs {
		if strings.HasPrefix(ev.StreamID, prefix) {
			out = append(out, ev)
		}
	}
	return out
}

// idsOf lists the ids of appended events.
func idsOf(evs []esdb.EventData) []uuid.UUID {
	out := make([]uuid.UUID, len(evs))
	for i, ev := range evs {
		out[i] = ev.EventID
	}
	return out
}

// recordedIDs lists the ids of recorded events.
func recordedIDs(evs []*esdb.RecordedEvent) []uuid.UUID {
	out := make([]uuid.UUID, len(evs))
	for i, ev := range evs {
		out[i] = ev.EventID
	}
	return out
}

// revisions lists the stream revisions of recorded events.
func revisions(evs []*esdb.RecordedEvent) []uint64 {
	var out []uint64
	for _, ev := range evs {
		out = append(out, ev.EventNumber)
	}
	return out
}

// seq returns from, from+1, … to (inclusive), descending when from > to.
func seq(from, to uint64) []uint64 {
	var out []uint64
	for i := from; ; {
		out = append(out, i)
		if i == to {
			return out
		}
		if from < to {
			i++
		} else {
			i--
		}
	}
}

// requireCode requires err to be an *esdb.Error with the given code.
func requireCode(t *testing.T, err error, code esdb.ErrorCode) {
	t.Helper()
	require.Error(t, err)
	var e *esdb.Error
	require.True(t, errors.As(err, &e), "want *esdb.Error with code %d, got %T: %v", code, err, err)
	require.Equal(t, code, e.Code(), "error: %v", err)
}

// isEOF tells whether err ends a read normally.
func isEOF(err error) bool { return errors.Is(err, io.EOF) }

// less orders $all positions.
func less(a, b esdb.Position) bool {
	return a.Commit < b.Commit || (a.Commit == b.Commit && a.Prepare < b.Prepare)
}

// requireIncreasing requires the events' $all positions to grow strictly.
func requireIncreasing(t *testing.T, evs []*esdb.RecordedEvent) {
	t.Helper()
	for i := 1; i < len(evs); i++ {
		require.True(t, less(evs[i-1].Position, evs[i].Position),
			"position %d %+v not after %+v", i, evs[i].Position, evs[i-1].Position)
	}
}
