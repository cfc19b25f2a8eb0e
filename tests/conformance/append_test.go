package conformance_test

import (
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requireStream requires the stream to hold exactly the events with ids, at revisions 0..n-1.
func requireStream(t *testing.T, c *esdb.Client, stream string, want []esdb.EventData) {
	t.Helper()
	got := readWhole(t, c, stream)
	require.Equal(t, idsOf(want), recordedIDs(got), "event ids of %s", stream)
	require.Equal(t, seq(0, uint64(len(want)-1)), revisions(got), "revisions of %s", stream)
}

func appendExpectedAny(t *testing.T, c *esdb.Client) {
	s, evs := newStream("any"), newEvents(3, "Added")
	assert.EqualValues(t, 1, appendOK(t, c, s, esdb.Any{}, evs[:2]...).NextExpectedVersion)
	assert.EqualValues(t, 2, appendOK(t, c, s, esdb.Any{}, evs[2]).NextExpectedVersion)
	requireStream(t, c, s, evs)
}

func appendExpectedNoStream(t *testing.T, c *esdb.Client) {
	s, evs := newStream("nostream"), newEvents(3, "Added")
	assert.EqualValues(t, 2, appendOK(t, c, s, esdb.NoStream{}, evs...).NextExpectedVersion)
	requireStream(t, c, s, evs)
}

func appendExpectedStreamExists(t *testing.T, c *esdb.Client) {
	s, evs := newStream("exists"), newEvents(3, "Added")
	assert.EqualValues(t, 0, appendOK(t, c, s, esdb.NoStream{}, evs[0]).NextExpectedVersion)
	assert.EqualValues(t, 2, appendOK(t, c, s, esdb.StreamExists{}, evs[1:]...).NextExpectedVersion)
	requireStream(t, c, s, evs)
}

func appendExpectedExactRevision(t *testing.T, c *esdb.Client) {
	s, evs := newStream("exact"), newEvents(6, "Added")
	assert.EqualValues(t, 1, appendOK(t, c, s, esdb.NoStream{}, evs[:2]...).NextExpectedVersion)
	assert.EqualValues(t, 2, appendOK(t, c, s, esdb.Revision(1), evs[2]).NextExpectedVersion)
	assert.EqualValues(t, 5, appendOK(t, c, s, esdb.Revision(2), evs[3:]...).NextExpectedVersion)
	requireStream(t, c, s, evs)
}

func appendPositionsIncrease(t *testing.T, c *esdb.Client) {
	streams := []string{newStream("pos"), newStream("pos")}
	var prev esdb.Position
	for i := 0; i < 8; i++ {
		wr := appendOK(t, c, streams[i%2], esdb.Any{}, newEvents(1+i%3, "Added")...)
		cur := esdb.Position{Commit: wr.CommitPosition, Prepare: wr.PreparePosition}
		if i > 0 {
			require.True(t, less(prev, cur), "append %d at %+v, not after %+v", i, cur, prev)
		}
		prev = cur
	}
}

func conflictsChangeNothing(t *testing.T, c *esdb.Client) {
	cases := []struct {
		name     string
		seed     int // events in the stream before; 0 means the stream does not exist
		expected esdb.ExpectedRevision
	}{
		{"no_stream_on_existing_stream", 2, esdb.NoStream{}},
		{"stream_exists_on_missing_stream", 0, esdb.StreamExists{}},
		{"revision_behind", 3, esdb.Revision(0)},
		{"revision_ahead", 3, esdb.Revision(5)},
		{"revision_on_missing_stream", 0, esdb.Revision(0)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, seed := newStream("conflict"), newEvents(tc.seed, "Seeded")
			if tc.seed > 0 {
				appendOK(t, c, s, esdb.NoStream{}, seed...)
			}
			_, err := c.AppendToStream(ctxFor(t, opTimeout), s,
				esdb.AppendToStreamOptions{ExpectedRevision: tc.expected}, newEvents(2, "Refused")...)
			requireCode(t, err, esdb.ErrorCodeWrongExpectedVersion)
			if tc.seed == 0 {
				_, err := readStream(t, c, s, esdb.ReadStreamOptions{}, 10)
				requireCode(t, err, esdb.ErrorCodeResourceNotFound)
				return
			}
			requireStream(t, c, s, seed)
		})
	}
}

func idempotentRetries(t *testing.T, c *esdb.Client) {
	cases := []struct {
		name     string
		seed     int // events appended before the retried append
		expected func(seed int) esdb.ExpectedRevision
	}{
		{"no_stream", 0, func(int) esdb.ExpectedRevision { return esdb.NoStream{} }},
		{"exact_revision", 2, func(n int) esdb.ExpectedRevision { return esdb.Revision(uint64(n - 1)) }},
		{"any_on_new_stream", 0, func(int) esdb.ExpectedRevision { return esdb.Any{} }},
		{"any_on_existing_stream", 2, func(int) esdb.ExpectedRevision { return esdb.Any{} }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, seed, evs := newStream("idem"), newEvents(tc.seed, "Seeded"), newEvents(3, "Retried")
			if tc.seed > 0 {
				appendOK(t, c, s, esdb.NoStream{}, seed...)
			}
			first := appendOK(t, c, s, tc.expected(tc.seed), evs...)
			for retry := 0; retry < 2; retry++ {
				again := appendOK(t, c, s, tc.expected(tc.seed), evs...)
				assert.Equal(t, first.NextExpectedVersion, again.NextExpectedVersion, "retry %d", retry)
			}
			requireStream(t, c, s, append(seed, evs...))
		})
	}
}
