package siem

import (
	"context"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
)

// tracked is one event on its way to the sink.
type tracked struct {
	id      string
	stream  string
	payload []byte
	meta    message.Metadata
	entry   *entry
	msg     *message.Message // the current delivery
	cancel  context.CancelFunc
}

// readAhead times the in-flight window is how many events a subscriber reads ahead of the
// oldest unacknowledged one: events queued behind an earlier event of their stream wait without
// taking a place in the window.
const readAhead = 4

// ack is the outcome of one delivery.
type ack struct {
	t  *tracked
	ok bool
}

// dispatch is the state of one subscriber's loop; only the loop's goroutine touches it.
type dispatch struct {
	s           *ledgerSubscriber
	lease       Lease           // held while the loop runs; every checkpoint is stored under it
	storeID     string          // the identity of the store the positions are in, stored with them
	ctx         context.Context // of the subscription; the messages' contexts derive from it
	marks       positions
	ready       []*tracked            // to emit, in order
	busy        map[string][]*tracked // streams with an event in flight, and their next events
	outstanding int                   // events read and not yet acknowledged
	inFlight    int                   // messages emitted and not yet acked or nacked
	acked       int                   // acknowledgements since the checkpoint was last offered
	acks        chan ack
	redeliver   chan *tracked
	saves       chan uint64 // the newest watermark to store; the saver drains it
	offered     uint64
}

func newDispatch(s *ledgerSubscriber, pos uint64, lease Lease, storeID string) *dispatch {
	return &dispatch{s: s, lease: lease, storeID: storeID, marks: positions{mark: pos}, busy: map[string][]*tracked{}, offered: pos,
		acks: make(chan ack, s.window), redeliver: make(chan *tracked, readAhead*s.window), saves: make(chan uint64, 1)}
}

// loop emits events to out until ctx ends, then waits for the deliveries in flight (up to
// closeGrace) and stores the final checkpoint. It leaves out open: the subscriber emits the
// events of its next lease term on it.
func (d *dispatch) loop(ctx context.Context, feed <-chan item, out chan<- *message.Message) {
	d.ctx = ctx
	saved := make(chan struct{})
	go d.saver(saved)
	loopDone := make(chan struct{})
	defer func() {
		close(loopDone)
		d.offer(true)
		close(d.saves)
		<-saved
	}()
	ticker := time.NewTicker(d.s.saveInterval)
	defer ticker.Stop()
	stopping, grace := ctx.Done(), (<-chan time.Time)(nil)
	for {
		var emit chan<- *message.Message
		var next *message.Message
		if len(d.ready) > 0 && d.inFlight < d.s.window && stopping != nil {
			emit, next = out, d.ready[0].msg
		}
		var read <-chan item
		if d.outstanding < readAhead*d.s.window && stopping != nil {
			read = feed
		}
		select {
		case it := <-read:
			d.add(it)
		case emit <- next:
			t := d.ready[0]
			d.ready[0], d.ready = nil, d.ready[1:]
			d.inFlight++
			go watch(t, d.acks, loopDone)
		case a := <-d.acks:
			d.settle(a)
		case t := <-d.redeliver:
			d.deliver(t)
		case <-ticker.C:
			d.offer(false)
		case <-stopping:
			stopping, grace = nil, time.After(closeGrace)
		case <-grace:
			d.s.log.Warn("SIEM forwarder: deliveries still in flight at close; they are redelivered after a restart",
				"sink", d.s.sink, "in_flight", d.inFlight)
			return
		}
		if stopping == nil && d.inFlight == 0 {
			return
		}
	}
}

// watch reports a delivery's ack or nack.
func watch(t *tracked, acks chan<- ack, loopDone <-chan struct{}) {
	select {
	case <-t.msg.Acked():
		acks <- ack{t, true}
	case <-t.msg.Nacked():
		acks <- ack{t, false}
	case <-loopDone:
	}
}

// add takes the next item of the subscription.
func (d *dispatch) add(it item) {
	if it.t == nil {
		d.marks.add(it.pos, true)
		d.s.position.Store(d.marks.mark)
		return
	}
	t := it.t
	t.entry = d.marks.add(it.pos, false)
	d.outstanding++
	if q, ok := d.busy[t.stream]; ok {
		d.busy[t.stream] = append(q, t)
		return
	}
	d.busy[t.stream] = nil
	d.deliver(t)
}

// deliver queues a new delivery of t.
func (d *dispatch) deliver(t *tracked) {
	if d.ctx.Err() != nil {
		return // stopping: the event stays before the checkpoint
	}
	msg := message.NewMessage(t.id, t.payload)
	msg.Metadata = message.Metadata{}
	for k, v := range t.meta {
		msg.Metadata[k] = v
	}
	mctx, cancel := context.WithCancel(d.ctx)
	msg.SetContext(mctx)
	t.msg, t.cancel = msg, cancel
	d.ready = append(d.ready, t)
}

// settle handles a delivery's outcome: an acknowledged event is done and lets the next event of
// its stream go; a nacked one is delivered again after the redelivery delay.
func (d *dispatch) settle(a ack) {
	d.inFlight--
	a.t.cancel()
	if !a.ok {
		time.AfterFunc(d.s.redeliverDelay, func() { d.redeliver <- a.t }) // buffered: never blocks
		return
	}
	d.marks.finish(a.t.entry)
	d.s.position.Store(d.marks.mark)
	d.outstanding--
	if q := d.busy[a.t.stream]; len(q) > 0 {
		d.busy[a.t.stream] = q[1:]
		d.deliver(q[0])
	} else {
		delete(d.busy, a.t.stream)
	}
	if d.acked++; d.acked >= saveEvents {
		d.offer(false)
	}
}
