package embeddedstore

import (
	"math"

	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/cockroachdb/pebble/v2"
)

// scanBatch bounds how many events one pass over storage collects; iterators are closed before
// anything is sent, so that a slow reader holds no storage resources.
const scanBatch = 512

// scanAll returns up to limit events of $all starting at position from (inclusive), in position
// order or, backwards, in reverse, never beyond the durable position.
func (s *storage) scanAll(from, durable uint64, backwards bool, limit int) ([]*api.ReadResp_ReadEvent_RecordedEvent, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: allKey(0), UpperBound: allKey(durable + 1)})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var valid bool
	if backwards {
		valid = it.SeekLT(allKey(min(from, durable) + 1))
	} else {
		valid = it.SeekGE(allKey(from))
	}
	var out []*api.ReadResp_ReadEvent_RecordedEvent
	for ; valid && len(out) < limit; valid = step(it, backwards) {
		e, err := decodeEvent(it.Value())
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, it.Error()
}

// scanStream returns up to limit events of a stream, starting at revision from (inclusive), never
// below revision low and never beyond the durable position.
func (s *storage) scanStream(stream string, from, low, durable uint64, backwards bool, limit int) ([]*api.ReadResp_ReadEvent_RecordedEvent, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{
		LowerBound: revKey(stream, low),
		UpperBound: revKey(stream, math.MaxUint64),
	})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var valid bool
	if backwards {
		valid = it.SeekLT(revKey(stream, from+1))
		if from >= math.MaxUint64-1 {
			valid = it.Last()
		}
	} else {
		valid = it.SeekGE(revKey(stream, from))
	}
	var out []*api.ReadResp_ReadEvent_RecordedEvent
	for ; valid && len(out) < limit; valid = step(it, backwards) {
		pos, err := decodeUint64(it.Value())
		if err != nil {
			return nil, err
		}
		if pos > durable {
			if backwards {
				continue
			}
			break
		}
		e, err := loadEvent(s.db, pos)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, it.Error()
}

func step(it *pebble.Iterator, backwards bool) bool {
	if backwards {
		return it.Prev()
	}
	return it.Next()
}
