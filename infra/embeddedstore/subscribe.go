package embeddedstore

import (
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// subscribeAll serves a catch-up subscription to $all: a confirmation, the stored events after
// the starting point (exclusive), caught_up, then live events as they become durable. Filtered
// subscriptions also get a checkpoint every checkEvery events scanned.
func (s *streamsService) subscribeAll(out api.Streams_ReadServer, opts *api.ReadReq_Options_AllOptions, q readQuery) error {
	var after uint64
	switch o := opts.AllOption.(type) {
	case *api.ReadReq_Options_AllOptions_End:
		after = s.writer.lastPos.Load()
	case *api.ReadReq_Options_AllOptions_Position:
		after = o.Position.GetCommitPosition()
	}
	if err := out.Send(confirmation()); err != nil {
		return err
	}
	live, scanned := false, uint64(0)
	for {
		wake := s.notify.wait()
		events, err := s.store.scanAll(after+1, s.writer.lastPos.Load(), false, scanBatch)
		if err != nil {
			return internal(err)
		}
		for _, e := range events {
			after = e.CommitPosition
			scanned++
			if q.filter.matches(e) {
				if err := out.Send(q.message(e)); err != nil {
					return err
				}
			}
			if q.filter != nil && scanned%q.checkEvery == 0 {
				if err := out.Send(checkpoint(after)); err != nil {
					return err
				}
			}
		}
		if len(events) > 0 {
			continue
		}
		if err := s.idle(out, wake, &live); err != nil {
			return err
		}
	}
}

// subscribeStream serves a catch-up subscription to one stream; a stream that does not exist yet
// is waited for, a tombstoned one ends the subscription with the stream-deleted trailers.
func (s *streamsService) subscribeStream(out api.Streams_ReadServer, name string, opts *api.ReadReq_Options_StreamOptions, q readQuery) error {
	st, err := loadStreamState(s.store.db, name)
	if err != nil {
		return internal(err)
	}
	if st.tombstoned {
		return streamDeleted(out.Context(), name)
	}
	var next uint64
	switch o := opts.RevisionOption.(type) {
	case *api.ReadReq_Options_StreamOptions_End:
		next = st.next
	case *api.ReadReq_Options_StreamOptions_Revision:
		next = o.Revision + 1
	}
	if err := out.Send(confirmation()); err != nil {
		return err
	}
	live := false
	for {
		wake := s.notify.wait()
		st, err := loadStreamState(s.store.db, name)
		if err != nil {
			return internal(err)
		}
		if st.tombstoned {
			return streamDeleted(out.Context(), name)
		}
		next = max(next, st.truncateBefore)
		var events []*api.ReadResp_ReadEvent_RecordedEvent
		if next < st.next {
			if events, err = s.store.scanStream(name, next, next, s.writer.lastPos.Load(), false, scanBatch); err != nil {
				return internal(err)
			}
		}
		for _, e := range events {
			next = e.StreamRevision + 1
			if err := out.Send(q.message(e)); err != nil {
				return err
			}
		}
		if len(events) > 0 {
			continue
		}
		if err := s.idle(out, wake, &live); err != nil {
			return err
		}
	}
}

// idle is what a subscription does once it has sent everything stored: tell the subscriber, the
// first time, that it caught up, then wait until new events may be there, the subscriber leaves
// or the server stops.
func (s *streamsService) idle(out api.Streams_ReadServer, wake <-chan struct{}, live *bool) error {
	if !*live {
		*live = true
		if err := out.Send(caughtUp()); err != nil {
			return err
		}
	}
	ctx := out.Context()
	select {
	case <-wake:
		return nil
	case <-ctx.Done():
		return status.FromContextError(ctx.Err()).Err()
	case <-s.stopping:
		return status.Error(codes.Unavailable, "the event store is shutting down")
	}
}
