package siem

// positions computes a sink's watermark: the position in $all up to which every event is done
// (acknowledged by the sink, or skipped), although later events may be done before earlier ones.
// Entries are kept in $all order; consecutive done entries are merged, so the queue holds at
// most about twice as many entries as there are events in flight.
type positions struct {
	queue []*entry
	mark  uint64
}

// entry is one position in $all, done or not yet.
type entry struct {
	pos  uint64
	done bool
}

// add records position pos, which follows every position added before; done says it needs no
// acknowledgement. It returns the entry to finish later, nil when done.
func (p *positions) add(pos uint64, done bool) *entry {
	if done {
		switch n := len(p.queue); {
		case n == 0:
			p.mark = pos
		case p.queue[n-1].done:
			p.queue[n-1].pos = pos
		default:
			p.queue = append(p.queue, &entry{pos: pos, done: true})
		}
		return nil
	}
	e := &entry{pos: pos}
	p.queue = append(p.queue, e)
	return e
}

// finish marks e done and moves the watermark past every leading done entry.
func (p *positions) finish(e *entry) {
	e.done = true
	for len(p.queue) > 0 && p.queue[0].done {
		p.mark = p.queue[0].pos
		p.queue[0] = nil
		p.queue = p.queue[1:]
	}
}
