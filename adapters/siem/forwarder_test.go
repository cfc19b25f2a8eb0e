package siem_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/siem"
	"github.com/certledger/certledger/events"
)

// recorder is a message.Publisher for tests: it fails every delivery of the events in failing
// and records the others.
type recorder struct {
	mu       sync.Mutex
	failing  map[string]bool
	attempts map[string]int
	got      []*message.Message
	// attemptsAtPoison is what attempts said when the poison publisher received each event.
	attemptsAtPoison map[string]int
	poisoned         []*message.Message
}

func newRecorder(failing ...string) *recorder {
	r := &recorder{failing: map[string]bool{}, attempts: map[string]int{}, attemptsAtPoison: map[string]int{}}
	for _, id := range failing {
		r.failing[id] = true
	}
	return r
}

func (r *recorder) Publish(_ string, msgs ...*message.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range msgs {
		r.attempts[m.UUID]++
		if r.failing[m.UUID] {
			return errors.New("the sink rejects this event")
		}
		r.got = append(r.got, m)
	}
	return nil
}

func (r *recorder) Close() error { return nil }

// poison is the recorder's poison publisher.
func (r *recorder) poison() message.Publisher { return poisonRecorder{r} }

type poisonRecorder struct{ r *recorder }

func (p poisonRecorder) Publish(_ string, msgs ...*message.Message) error {
	p.r.mu.Lock()
	defer p.r.mu.Unlock()
	for _, m := range msgs {
		p.r.attemptsAtPoison[m.UUID] = p.r.attempts[m.UUID]
		p.r.poisoned = append(p.r.poisoned, m)
	}
	return nil
}

func (p poisonRecorder) Close() error { return nil }

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// TestPoisonQueueAfterRetries proves the middleware order: an event the sink always rejects is
// tried 1 + max_retries times, then lands in the poison queue with the error in its metadata,
// and the events after it, of its own stream too, still reach the sink.
func TestPoisonQueueAfterRetries(t *testing.T) {
	e := newEnv(t)
	last := e.appendEvents(t, uniform(20, events.CategoryCertificate, "CertificateIssued", 5), 1, 0)
	all := e.ledgerEvents(t, nil)
	var bad events.Envelope
	for _, env := range all {
		if env.Revision == 2 {
			bad = env // in the middle of its stream
			break
		}
	}
	const retries = 3
	cfg := config(t, fmt.Sprintf(`{"sinks":[{"name":"test","kind":"file","path":%q}],
		"retry":{"max_retries":%d,"initial_interval":"5ms","max_interval":"20ms"}}`, t.TempDir()+"/x.jsonl", retries))
	f, err := siem.New(cfg, siem.Options{Source: e.store, Pool: e.pool})
	require.NoError(t, err)
	rec := newRecorder(bad.ID.String())
	siem.SetSinkPublishers(f, "test", rec, rec.poison())
	e.run(t, f)

	waitFor(t, 30*time.Second, "every event but one delivered", func() bool { return rec.count() == len(all)-1 })
	waitFor(t, 10*time.Second, "the checkpoint to pass every event", func() bool {
		pos, err := siem.Checkpoint(context.Background(), e.pool, "test")
		require.NoError(t, err)
		return pos == last
	})
	rec.mu.Lock()
	defer rec.mu.Unlock()
	assert.Equal(t, 1+retries, rec.attempts[bad.ID.String()], "tries of the failing event")
	assert.Equal(t, 1+retries, rec.attemptsAtPoison[bad.ID.String()], "poisoned only after the last retry")
	require.Len(t, rec.poisoned, 1)
	reason := rec.poisoned[0].Metadata.Get(middleware.ReasonForPoisonedKey)
	assert.True(t, strings.Contains(reason, "the sink rejects this event"), "reason_poisoned: %q", reason)
	for id, n := range rec.attempts {
		if id != bad.ID.String() {
			assert.Equal(t, 1, n, "event %s delivered once", id)
		}
	}
	// The later events of the failing event's stream came after it, in order.
	var revs []uint64
	for _, m := range rec.got {
		if m.Metadata.Get(siem.MetaStream) == bad.Stream {
			_, rev := cloudEvent(t, m.Payload)
			revs = append(revs, rev)
		}
	}
	assert.Equal(t, []uint64{0, 1, 3, 4}, revs)
}
