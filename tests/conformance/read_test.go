package conformance_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readStreamDirections(t *testing.T, c *esdb.Client) {
	s, evs := newStream("read"), newEvents(5, "Added")
	appendOK(t, c, s, esdb.NoStream{}, evs...)
	cases := []struct {
		name  string
		opts  esdb.ReadStreamOptions
		count uint64
		want  []uint64
	}{
		{"forwards_from_start_count_3", esdb.ReadStreamOptions{From: esdb.Start{}}, 3, seq(0, 2)},
		{"forwards_from_start_all", esdb.ReadStreamOptions{From: esdb.Start{}}, 100, seq(0, 4)},
		{"backwards_from_end_count_2", esdb.ReadStreamOptions{Direction: esdb.Backwards, From: esdb.End{}}, 2, seq(4, 3)},
		{"backwards_from_end_all", esdb.ReadStreamOptions{Direction: esdb.Backwards, From: esdb.End{}}, 100, seq(4, 0)},
		{"forwards_from_revision_is_inclusive", esdb.ReadStreamOptions{From: esdb.Revision(2)}, 100, seq(2, 4)},
		{"forwards_from_revision_count_2", esdb.ReadStreamOptions{From: esdb.Revision(1)}, 2, seq(1, 2)},
		{"backwards_from_revision_is_inclusive", esdb.ReadStreamOptions{Direction: esdb.Backwards, From: esdb.Revision(2)}, 100, seq(2, 0)},
		{"backwards_from_revision_count_2", esdb.ReadStreamOptions{Direction: esdb.Backwards, From: esdb.Revision(3)}, 2, seq(3, 2)},
		{"forwards_past_the_end_is_empty", esdb.ReadStreamOptions{From: esdb.Revision(10)}, 100, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readStream(t, c, s, tc.opts, tc.count)
			require.NoError(t, err)
			require.Equal(t, tc.want, revisions(got))
			for _, ev := range got {
				assert.Equal(t, evs[ev.EventNumber].EventID, ev.EventID, "id at revision %d", ev.EventNumber)
				assert.Equal(t, s, ev.StreamID)
			}
		})
	}
}

func readMissingStream(t *testing.T, c *esdb.Client) {
	s := newStream("missing")
	for name, opts := range map[string]esdb.ReadStreamOptions{
		"forwards":  {From: esdb.Start{}},
		"backwards": {Direction: esdb.Backwards, From: esdb.End{}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := readStream(t, c, s, opts, 10)
			requireCode(t, err, esdb.ErrorCodeResourceNotFound)
		})
	}
}

func readAllDirections(t *testing.T, c *esdb.Client) {
	prefix := newStream("all")
	evs := newEvents(6, "Added")
	appendOK(t, c, prefix+"-1", esdb.NoStream{}, evs[0:2]...)
	appendOK(t, c, prefix+"-2", esdb.NoStream{}, evs[2])
	appendOK(t, c, prefix+"-3", esdb.NoStream{}, evs[3:5]...)
	appendOK(t, c, prefix+"-1", esdb.Revision(1), evs[5])
	ids := idsOf(evs)

	fwd := inStreams(readAll(t, c, esdb.ReadAllOptions{From: esdb.Start{}}, 1<<62), prefix)
	require.Equal(t, ids, recordedIDs(fwd), "$all forwards holds the events in append order")
	requireIncreasing(t, fwd)

	bwd := inStreams(readAll(t, c, esdb.ReadAllOptions{Direction: esdb.Backwards, From: esdb.End{}}, 1<<62), prefix)
	require.Len(t, bwd, len(evs))
	for i, ev := range bwd {
		require.Equal(t, ids[len(ids)-1-i], ev.EventID, "$all backwards, event %d", i)
	}

	t.Run("forwards_from_position_is_inclusive", func(t *testing.T) {
		got := readAll(t, c, esdb.ReadAllOptions{From: fwd[2].Position}, 3)
		require.Equal(t, ids[2:5], recordedIDs(got))
	})
	t.Run("backwards_from_position_is_exclusive", func(t *testing.T) {
		got := readAll(t, c, esdb.ReadAllOptions{Direction: esdb.Backwards, From: fwd[3].Position}, 3)
		require.Equal(t, ids[2], got[0].EventID, "first event is the one before the position")
		require.Equal(t, ids[:3], reverse(recordedIDs(inStreams(got, prefix))))
	})
	t.Run("counts", func(t *testing.T) {
		require.Len(t, readAll(t, c, esdb.ReadAllOptions{From: esdb.Start{}}, 1), 1)
		last := readAll(t, c, esdb.ReadAllOptions{Direction: esdb.Backwards, From: esdb.End{}}, 2)
		require.Len(t, last, 2)
		require.True(t, less(last[1].Position, last[0].Position), "backwards read descends")
	})
}

func recordedEventMetadata(t *testing.T, c *esdb.Client) {
	s := newStream("meta")
	bin := esdb.EventData{EventID: newEvent("x").EventID, EventType: "Binary.Blob", ContentType: esdb.ContentTypeBinary,
		Data: []byte{0, 1, 2, 0xff, 0, 'x'}, Metadata: []byte{0xfe, 0, 7}}
	empty := esdb.EventData{EventID: newEvent("x").EventID, EventType: "Empty", ContentType: esdb.ContentTypeJson}
	evs := []esdb.EventData{newEvent("Certificate.Issued"), bin, empty}
	before := time.Now()
	appendOK(t, c, s, esdb.NoStream{}, evs...)
	after := time.Now()

	fromAll := inStreams(readAll(t, c, esdb.ReadAllOptions{Direction: esdb.Backwards, From: esdb.End{}}, 100), s)
	for name, got := range map[string][]*esdb.RecordedEvent{"stream": readWhole(t, c, s), "all": reverseEvents(fromAll)} {
		t.Run(name, func(t *testing.T) {
			require.Len(t, got, len(evs))
			for i, ev := range got {
				want := evs[i]
				assert.Equal(t, want.EventID, ev.EventID)
				assert.Equal(t, s, ev.StreamID)
				assert.EqualValues(t, i, ev.EventNumber)
				assert.Equal(t, want.EventType, ev.EventType)
				assert.Equal(t, contentType(want.ContentType), ev.ContentType)
				assert.True(t, bytes.Equal(want.Data, ev.Data), "data of event %d: %q", i, ev.Data)
				assert.True(t, bytes.Equal(want.Metadata, ev.UserMetadata), "user metadata of event %d: %q", i, ev.UserMetadata)
				assert.WithinRange(t, ev.CreatedDate, before.Add(-2*time.Second), after.Add(2*time.Second))
				assert.Equal(t, want.EventType, ev.SystemMetadata["type"])
				assert.Equal(t, contentType(want.ContentType), ev.SystemMetadata["content-type"])
				assert.NotEmpty(t, ev.SystemMetadata["created"])
			}
		})
	}
}

// contentType is the content type EventStoreDB records for the client's content type.
func contentType(ct esdb.ContentType) string {
	if ct == esdb.ContentTypeJson {
		return "application/json"
	}
	return "application/octet-stream"
}

func reverse[T any](in []T) []T {
	out := make([]T, len(in))
	for i, v := range in {
		out[len(in)-1-i] = v
	}
	return out
}

func reverseEvents(in []*esdb.RecordedEvent) []*esdb.RecordedEvent { return reverse(in) }
