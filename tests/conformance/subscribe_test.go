package conformance_test

import (
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/stretchr/testify/require"
)

func subscribeStreamCatchUpLive(t *testing.T, c *esdb.Client) {
	s, evs := newStream("sub"), newEvents(5, "Added")
	appendOK(t, c, s, esdb.NoStream{}, evs[:3]...)
	f := subscribeStream(t, c, s, esdb.Start{})
	got, _ := f.expect(s, idsOf(evs[:3])...)
	require.Equal(t, seq(0, 2), revisions(got))
	f.caughtUp(s)
	appendOK(t, c, s, esdb.Revision(2), evs[3:]...)
	got, _ = f.expect(s, idsOf(evs[3:])...)
	require.Equal(t, seq(3, 4), revisions(got))
}

func subscribeStreamFromRevision(t *testing.T, c *esdb.Client) {
	s, evs := newStream("subrev"), newEvents(6, "Added")
	appendOK(t, c, s, esdb.NoStream{}, evs[:5]...)
	f := subscribeStream(t, c, s, esdb.Revision(2))
	got, _ := f.expect(s, idsOf(evs[3:5])...)
	require.Equal(t, seq(3, 4), revisions(got), "the first event is the one after the revision")
	f.caughtUp(s)
	appendOK(t, c, s, esdb.Revision(4), evs[5])
	f.expect(s, evs[5].EventID)
}

func subscribeAllCatchUpLive(t *testing.T, c *esdb.Client) {
	p, evs := newStream("suball"), newEvents(5, "Added")
	appendOK(t, c, p+"-1", esdb.NoStream{}, evs[:2]...)
	appendOK(t, c, p+"-2", esdb.NoStream{}, evs[2])
	f := subscribeAll(t, c, esdb.Start{}, nil)
	got, _ := f.expect(p, idsOf(evs[:3])...)
	requireIncreasing(t, got)
	f.caughtUp(p)
	appendOK(t, c, p+"-2", esdb.Revision(0), evs[3])
	appendOK(t, c, p+"-1", esdb.Revision(1), evs[4])
	f.expect(p, idsOf(evs[3:])...)
}

func subscribeAllFromPosition(t *testing.T, c *esdb.Client) {
	p, evs := newStream("suballpos"), newEvents(4, "Added")
	appendOK(t, c, p, esdb.NoStream{}, evs[:3]...)
	recs := inStreams(readAll(t, c, esdb.ReadAllOptions{Direction: esdb.Backwards, From: esdb.End{}}, 20), p)
	require.Len(t, recs, 3)
	first := recs[2] // backwards: the stream's first event is last
	require.Equal(t, evs[0].EventID, first.EventID)

	f := subscribeAll(t, c, first.Position, nil)
	ev := f.next(waitTimeout)
	for ev.EventAppeared == nil {
		ev = f.next(waitTimeout)
	}
	require.Equal(t, evs[1].EventID, ev.EventAppeared.OriginalEvent().EventID,
		"the first event delivered is the one after the position")
	f.expect(p, evs[2].EventID)
	f.caughtUp(p)
	appendOK(t, c, p, esdb.Revision(2), evs[3])
	f.expect(p, evs[3].EventID)
}
