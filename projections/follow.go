package projections

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/certledger/certledger/events"
)

// item is what the subscription hands to the applying loop: an event or a change of phase.
type item struct {
	raw      events.Raw
	caughtUp bool // every stored event was delivered; live events follow
	dropped  bool // the connection dropped; the subscription catches up again
}

// batch is a run of consecutive events of $all applied in one transaction.
type batch struct {
	envs   []events.Envelope // the ledger events, in order
	before []uint64          // before[i]: the position just before envs[i] (last event not applied)
	last   uint64            // position of the last event, skipped or not
	raws   int               // number of events, skipped ones included
}

// add appends raw to the batch, leaving it out of envs when it is not a ledger event.
func (b *batch) add(w *worker, raw events.Raw, from uint64) {
	prev := from
	if b.raws > 0 {
		prev = b.last
	}
	if env, err := ledgerEvent(raw); err != nil {
		w.log.Debug("skipping an event that is not a ledger event", "stream", raw.Stream,
			"revision", raw.Revision, "position", raw.Position, "reason", err)
	} else {
		b.envs = append(b.envs, env)
		b.before = append(b.before, prev)
	}
	b.last = raw.Position
	b.raws++
}

// follow applies the events after the projection's checkpoint until ctx ends or an error
// occurs. progressed tells whether it committed anything.
func (w *worker) follow(ctx context.Context) (progressed bool, err error) {
	lease, owned, err := w.r.cfg.leases.TryAcquire(ctx, leaseName(w.p.Name()))
	if err != nil {
		return false, err
	}
	if !owned {
		return false, errStandby
	}
	defer lease.Release()
	w.lease = lease
	defer func() { w.lease = nil }()
	parent := ctx
	ctx, cancelOnLoss := context.WithCancel(ctx)
	defer cancelOnLoss()
	go func(ctx context.Context) {
		select {
		case <-lease.Done():
			cancelOnLoss()
		case <-ctx.Done():
		}
	}(ctx)
	defer func() {
		if err != nil && parent.Err() == nil && isClosed(lease.Done()) {
			err = fmt.Errorf("projection %s: %w", w.p.Name(), errLeaseLost)
		}
	}()
	pos, err := w.prepare(ctx)
	if err != nil {
		return false, err
	}
	w.setState(StateCatchingUp, nil)
	w.log.Debug("following the event store", "after", pos)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	feed := make(chan item, w.r.cfg.maxBatch)
	send := func(it item) error {
		select {
		case feed <- it:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	opts := events.Subscription{
		OnCaughtUp: func() { _ = send(item{caughtUp: true}) },
		OnDrop: func(err error) {
			w.log.Warn("event store subscription dropped; resubscribing", "error", err)
			_ = send(item{dropped: true})
		},
	}
	var subErr error
	subDone := make(chan struct{})
	go func() {
		defer close(subDone)
		subErr = w.r.source.Subscribe(ctx, pos, opts, func(raw events.Raw) error { return send(item{raw: raw}) })
	}()
	defer func() { cancel(); <-subDone }()

	live := false
	for {
		b, err := w.collect(ctx, feed, subDone, pos, &live)
		if errors.Is(err, errSubscriptionEnded) {
			return progressed, fmt.Errorf("projection %s: %w: %w", w.p.Name(), err, subErr)
		}
		if err != nil {
			return progressed, err
		}
		if err := w.applyLive(ctx, pos, b); err != nil {
			return progressed, err
		}
		pos, progressed = b.last, true
	}
}

// collect waits for the next event and gathers a batch: while catching up, up to maxBatch
// events or what arrives within maxWait; once live, only what is already waiting.
func (w *worker) collect(ctx context.Context, feed <-chan item, subDone <-chan struct{}, from uint64,
	live *bool) (batch, error) {
	var b batch
	var timeout <-chan time.Time
	for b.raws < w.r.cfg.maxBatch {
		var it item
		switch {
		case b.raws == 0:
			select {
			case it = <-feed:
			case <-subDone:
				return b, errSubscriptionEnded
			case <-ctx.Done():
				return b, ctx.Err()
			}
		case *live:
			select {
			case it = <-feed:
			default:
				return b, nil
			}
		default:
			if timeout == nil {
				t := time.NewTimer(w.r.cfg.maxWait)
				defer t.Stop()
				timeout = t.C
			}
			select {
			case it = <-feed:
			case <-timeout:
				return b, nil
			case <-ctx.Done():
				return b, ctx.Err()
			}
		}
		switch {
		case it.caughtUp:
			*live = true
			w.setState(StateLive, nil)
			if b.raws > 0 {
				return b, nil
			}
		case it.dropped:
			*live = false
			w.setState(StateCatchingUp, nil)
		default:
			b.add(w, it.raw, from)
		}
	}
	return b, nil
}

// isClosed tells whether ch is closed; a nil channel never is.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// errStandby says the runner of another process follows the projection.
var errStandby = errors.New("another process follows this projection")

// errSubscriptionEnded says the subscription stopped without being asked to.
var errSubscriptionEnded = errors.New("the subscription stopped unexpectedly")
