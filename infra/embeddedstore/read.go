package embeddedstore

import (
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
)

// Read serves plain reads and catch-up subscriptions of one stream or of $all.
func (s *streamsService) Read(req *api.ReadReq, out api.Streams_ReadServer) error {
	opts := req.GetOptions()
	if opts == nil {
		return invalid("read options are missing")
	}
	q, err := newReadQuery(opts)
	if err != nil {
		return err
	}
	switch so := opts.StreamOption.(type) {
	case *api.ReadReq_Options_Stream:
		name, err := streamName(so.Stream.GetStreamIdentifier())
		if err != nil {
			return invalid("%v", err)
		}
		if so.Stream.RevisionOption == nil {
			return invalid("stream read options are missing the starting point")
		}
		if q.subscribe {
			return s.subscribeStream(out, name, so.Stream, q)
		}
		return s.readStream(out, name, so.Stream, q)
	case *api.ReadReq_Options_All:
		if so.All == nil || so.All.AllOption == nil {
			return invalid("$all read options are missing the starting point")
		}
		if q.subscribe {
			return s.subscribeAll(out, so.All, q)
		}
		return s.readAll(out, so.All, q)
	}
	return invalid("read options name neither a stream nor $all")
}

// readQuery is what a read asks for beyond where to start.
type readQuery struct {
	backwards  bool
	count      uint64 // plain reads only
	subscribe  bool
	filter     *filter // nil when every event is wanted
	stringIDs  bool    // the reader wants event ids as strings
	checkEvery uint64  // filtered subscriptions: a checkpoint after this many events scanned
}

func newReadQuery(opts *api.ReadReq_Options) (readQuery, error) {
	q := readQuery{
		backwards: opts.ReadDirection == api.ReadReq_Options_Backwards,
		stringIDs: opts.GetUuidOption().GetString_() != nil,
	}
	switch c := opts.CountOption.(type) {
	case *api.ReadReq_Options_Count:
		q.count = c.Count
	case *api.ReadReq_Options_Subscription:
		q.subscribe = true
		if q.backwards {
			return q, invalid("subscriptions read forwards only")
		}
	default:
		return q, invalid("read options need either a count or subscription options")
	}
	if fo := opts.GetFilter(); fo != nil {
		f, err := newFilter(fo)
		if err != nil {
			return q, invalid("%v", err)
		}
		q.filter = f
		q.checkEvery = checkpointInterval(fo)
	}
	return q, nil
}

// message wraps a stored event for the wire.
func (q readQuery) message(e *api.ReadResp_ReadEvent_RecordedEvent) *api.ReadResp {
	if q.stringIDs {
		e.Id = stringID(e.Id)
	}
	return &api.ReadResp{Content: &api.ReadResp_Event{Event: &api.ReadResp_ReadEvent{
		Event:    e,
		Position: &api.ReadResp_ReadEvent_CommitPosition{CommitPosition: e.CommitPosition},
	}}}
}

func confirmation() *api.ReadResp {
	return &api.ReadResp{Content: &api.ReadResp_Confirmation{
		Confirmation: &api.ReadResp_SubscriptionConfirmation{SubscriptionId: uuid.NewString()}}}
}

func caughtUp() *api.ReadResp {
	return &api.ReadResp{Content: &api.ReadResp_CaughtUp_{CaughtUp: &api.ReadResp_CaughtUp{}}}
}

func checkpoint(pos uint64) *api.ReadResp {
	return &api.ReadResp{Content: &api.ReadResp_Checkpoint_{Checkpoint: &api.ReadResp_Checkpoint{
		CommitPosition: pos, PreparePosition: pos}}}
}
