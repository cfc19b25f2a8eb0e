package ops

import (
	"container/list"
	"time"

	"golang.org/x/time/rate"
)

// principal is what the rate limiter remembers of one principal: a token bucket per class it
// has used, and when it was last seen.
type principal struct {
	name     string
	lastSeen time.Time
	buckets  map[string]*rate.Limiter
}

// bucket returns the principal's bucket for class, creating a full one on first use.
func (p *principal) bucket(class string, limit Limit) *rate.Limiter {
	b, ok := p.buckets[class]
	if !ok {
		b = rate.NewLimiter(rate.Limit(limit.PerSecond), limit.Burst)
		p.buckets[class] = b
	}
	return b
}

// principalTable holds the known principals in least-recently-seen order, so both kinds of
// eviction (idle, over capacity) take the oldest entries from the back in O(1) each.
// It is not safe for concurrent use; RateLimiter guards it with its mutex.
type principalTable struct {
	byName map[string]*list.Element // values are *principal
	order  *list.List               // front: most recently seen; back: least recently seen
	max    int
}

func newPrincipalTable(max int) *principalTable {
	return &principalTable{byName: make(map[string]*list.Element), order: list.New(), max: max}
}

// touch returns the principal called name, marked as seen at now. A new principal is added,
// forgetting the least recently seen one first when the table is full.
func (t *principalTable) touch(name string, now time.Time) *principal {
	if el, ok := t.byName[name]; ok {
		p := el.Value.(*principal)
		p.lastSeen = now
		t.order.MoveToFront(el)
		return p
	}
	for t.order.Len() >= t.max {
		t.removeOldest()
	}
	p := &principal{name: name, lastSeen: now, buckets: make(map[string]*rate.Limiter)}
	t.byName[name] = t.order.PushFront(p)
	return p
}

// forgetIdle removes every principal last seen at or before cutoff.
func (t *principalTable) forgetIdle(cutoff time.Time) {
	for {
		oldest := t.order.Back()
		if oldest == nil || oldest.Value.(*principal).lastSeen.After(cutoff) {
			return
		}
		t.removeOldest()
	}
}

func (t *principalTable) removeOldest() {
	oldest := t.order.Back()
	delete(t.byName, oldest.Value.(*principal).name)
	t.order.Remove(oldest)
}

// len is the number of remembered principals.
func (t *principalTable) len() int { return t.order.Len() }

// has reports whether the principal called name is remembered.
func (t *principalTable) has(name string) bool {
	_, ok := t.byName[name]
	return ok
}
