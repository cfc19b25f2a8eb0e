package embeddedstore

import "sync"

// streamCacheLimit bounds the writer's cache of stream states; past it the cache starts afresh
// and states are read from storage again as streams are written.
const streamCacheLimit = 500_000

// streamCache holds the durable state of recently written streams. Only the writer uses it.
type streamCache struct {
	states map[string]streamState
}

func newStreamCache() *streamCache { return &streamCache{states: map[string]streamState{}} }

func (c *streamCache) get(stream string) (streamState, bool) {
	st, ok := c.states[stream]
	return st, ok
}

func (c *streamCache) put(stream string, st streamState) {
	if len(c.states) >= streamCacheLimit {
		c.reset()
	}
	c.states[stream] = st
}

func (c *streamCache) putAll(states map[string]streamState) {
	for stream, st := range states {
		c.put(stream, st)
	}
}

func (c *streamCache) reset() { c.states = map[string]streamState{} }

// notifier wakes the subscriptions waiting for new events.
type notifier struct {
	mu sync.Mutex
	ch chan struct{}
}

func newNotifier() *notifier { return &notifier{ch: make(chan struct{})} }

// wait returns a channel that is closed at the next broadcast. Take it before looking for new
// events, so that an append between the look and the wait is not missed.
func (n *notifier) wait() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.ch
}

func (n *notifier) broadcast() {
	n.mu.Lock()
	defer n.mu.Unlock()
	close(n.ch)
	n.ch = make(chan struct{})
}
