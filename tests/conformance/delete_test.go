package conformance_test

import (
	"bytes"
	"crypto/rand"
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func softDeleteThenAppend(t *testing.T, c *esdb.Client) {
	s, evs := newStream("softdel"), newEvents(3, "Added")
	appendOK(t, c, s, esdb.NoStream{}, evs...)
	_, err := c.DeleteStream(ctxFor(t, opTimeout), s, esdb.DeleteStreamOptions{ExpectedRevision: esdb.Revision(2)})
	require.NoError(t, err)

	_, err = readStream(t, c, s, esdb.ReadStreamOptions{}, 10)
	requireCode(t, err, esdb.ErrorCodeResourceNotFound)

	again := newEvent("Recreated")
	wr := appendOK(t, c, s, esdb.Any{}, again)
	assert.EqualValues(t, 3, wr.NextExpectedVersion, "revisions continue where the deleted stream left off")
	got := readWhole(t, c, s)
	require.Len(t, got, 1, "the events before the delete stay invisible")
	assert.Equal(t, again.EventID, got[0].EventID)
	assert.EqualValues(t, 3, got[0].EventNumber)
}

func tombstoneRefuses(t *testing.T, c *esdb.Client) {
	s := newStream("tomb")
	appendOK(t, c, s, esdb.NoStream{}, newEvents(2, "Added")...)
	_, err := c.TombstoneStream(ctxFor(t, opTimeout), s, esdb.TombstoneStreamOptions{ExpectedRevision: esdb.Revision(1)})
	require.NoError(t, err)

	t.Run("read", func(t *testing.T) {
		_, err := readStream(t, c, s, esdb.ReadStreamOptions{}, 10)
		requireCode(t, err, esdb.ErrorCodeStreamDeleted)
		require.Contains(t, err.Error(), s, "the error names the stream (trailer stream-name)")
	})
	t.Run("append", func(t *testing.T) {
		for name, exp := range map[string]esdb.ExpectedRevision{"any": esdb.Any{}, "no_stream": esdb.NoStream{}, "revision": esdb.Revision(1)} {
			_, err := c.AppendToStream(ctxFor(t, opTimeout), s, esdb.AppendToStreamOptions{ExpectedRevision: exp}, newEvent("Again"))
			requireCode(t, err, esdb.ErrorCodeStreamDeleted)
			assert.Contains(t, err.Error(), s, "expected %s", name)
		}
	})
	t.Run("delete_again", func(t *testing.T) {
		_, err := c.DeleteStream(ctxFor(t, opTimeout), s, esdb.DeleteStreamOptions{})
		requireCode(t, err, esdb.ErrorCodeStreamDeleted)
	})
}

// largeEventSize is just under EventStoreDB's default MaxAppendSize (1 MiB per append, counting
// data, user metadata and twice the event type), so one such event is the largest append it takes.
const largeEventSize = 1<<20 - 1024

func largeEventRoundTrips(t *testing.T, c *esdb.Client) {
	s, ev := newStream("large"), newEvent("Large")
	ev.ContentType, ev.Data = esdb.ContentTypeBinary, make([]byte, largeEventSize)
	_, err := rand.Read(ev.Data)
	require.NoError(t, err)
	appendOK(t, c, s, esdb.NoStream{}, ev)

	got := readWhole(t, c, s)
	require.Len(t, got, 1)
	require.Len(t, got[0].Data, largeEventSize)
	require.True(t, bytes.Equal(ev.Data, got[0].Data), "data differs")
	require.Equal(t, ev.Metadata, got[0].UserMetadata)

	f := subscribeStream(t, c, s, esdb.Start{})
	sub, _ := f.expect(s, ev.EventID)
	require.True(t, bytes.Equal(ev.Data, sub[0].Data), "data differs through a subscription")
}

func oversizedAppendRefused(t *testing.T, c *esdb.Client) {
	s, ev := newStream("oversized"), newEvent("TooLarge")
	ev.ContentType, ev.Data = esdb.ContentTypeBinary, make([]byte, 1<<20+1)
	_, err := c.AppendToStream(ctxFor(t, opTimeout), s, esdb.AppendToStreamOptions{ExpectedRevision: esdb.NoStream{}}, ev)
	require.Error(t, err, "EventStoreDB refuses appends above MaxAppendSize (1 MiB by default)")
	_, err = readStream(t, c, s, esdb.ReadStreamOptions{}, 10)
	requireCode(t, err, esdb.ErrorCodeResourceNotFound)
	appendOK(t, c, newStream("after-oversized"), esdb.NoStream{}, newEvent("Small")) // still serving
}
