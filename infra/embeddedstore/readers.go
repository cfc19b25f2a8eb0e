package embeddedstore

import (
	"math"

	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
)

// readAll serves a plain read of $all. Forwards from a position includes the event at it;
// backwards from a position starts before it, as in EventStoreDB.
func (s *streamsService) readAll(out api.Streams_ReadServer, opts *api.ReadReq_Options_AllOptions, q readQuery) error {
	var from uint64
	switch o := opts.AllOption.(type) {
	case *api.ReadReq_Options_AllOptions_Start:
		if q.backwards {
			return nil
		}
		from = 0
	case *api.ReadReq_Options_AllOptions_End:
		if !q.backwards {
			return nil
		}
		from = math.MaxUint64
	case *api.ReadReq_Options_AllOptions_Position:
		from = o.Position.GetCommitPosition()
		if q.backwards {
			if from == 0 {
				return nil
			}
			from--
		}
	}
	remaining := q.count
	for remaining > 0 {
		events, err := s.store.scanAll(from, s.writer.lastPos.Load(), q.backwards, int(min(remaining, scanBatch)))
		if err != nil {
			return internal(err)
		}
		for _, e := range events {
			from = e.CommitPosition
			if !q.filter.matches(e) {
				continue
			}
			if err := out.Send(q.message(e)); err != nil {
				return err
			}
			remaining--
			if remaining == 0 {
				return nil
			}
		}
		if len(events) < scanBatch || (q.backwards && from <= 1) {
			return nil
		}
		if q.backwards {
			from--
		} else {
			from++
		}
	}
	return nil
}

// readStream serves a plain read of one stream. A stream that never existed or was soft-deleted
// answers stream_not_found; a tombstoned one fails with the stream-deleted trailers.
func (s *streamsService) readStream(out api.Streams_ReadServer, name string, opts *api.ReadReq_Options_StreamOptions, q readQuery) error {
	st, err := loadStreamState(s.store.db, name)
	if err != nil {
		return internal(err)
	}
	if st.tombstoned {
		return streamDeleted(out.Context(), name)
	}
	if !st.exists() {
		return out.Send(&api.ReadResp{Content: &api.ReadResp_StreamNotFound_{StreamNotFound: &api.ReadResp_StreamNotFound{
			StreamIdentifier: opts.StreamIdentifier}}})
	}
	from, ok := streamStart(opts, st, q.backwards)
	if !ok {
		return nil
	}
	remaining := q.count
	for remaining > 0 {
		events, err := s.store.scanStream(name, from, st.truncateBefore, s.writer.lastPos.Load(), q.backwards, int(min(remaining, scanBatch)))
		if err != nil {
			return internal(err)
		}
		for _, e := range events {
			if err := out.Send(q.message(e)); err != nil {
				return err
			}
		}
		remaining -= uint64(len(events))
		if len(events) == 0 {
			return nil
		}
		last := events[len(events)-1].StreamRevision
		if q.backwards {
			if last == 0 {
				return nil
			}
			from = last - 1
		} else {
			from = last + 1
		}
	}
	return nil
}

// streamStart is the first revision a plain read visits; ok is false when there is none.
func streamStart(opts *api.ReadReq_Options_StreamOptions, st streamState, backwards bool) (uint64, bool) {
	switch o := opts.RevisionOption.(type) {
	case *api.ReadReq_Options_StreamOptions_Revision:
		if backwards {
			return min(o.Revision, st.lastRevision()), o.Revision >= st.truncateBefore
		}
		return max(o.Revision, st.truncateBefore), o.Revision < st.next
	case *api.ReadReq_Options_StreamOptions_End:
		return st.lastRevision(), backwards
	default:
		if backwards {
			return 0, st.truncateBefore == 0
		}
		return st.truncateBefore, true
	}
}
