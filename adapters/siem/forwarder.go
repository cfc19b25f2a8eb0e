package siem

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// Options is what a Forwarder runs on.
type Options struct {
	// Source is the event store; required.
	Source EventSource
	// Pool is the Postgres holding siem_checkpoints; required.
	Pool *pgxpool.Pool
	// Registry, when set, gets the forwarder's metrics.
	Registry *prometheus.Registry
	// Logger logs problems; nil logs nothing.
	Logger *slog.Logger
	// PoisonDir keeps the poisoned events of webhook sinks that name no poison_path.
	PoisonDir string
	// CheckpointInterval is how often a moving checkpoint is stored (besides every 1,000
	// acknowledgements and at the end); 0 means 200 ms.
	CheckpointInterval time.Duration
	// Leases, when set, makes each sink forward only on the node holding its lease "siem/<sink>",
	// and fences its checkpoints with the lease's token.
	Leases Leases
}

// Forwarder forwards the ledger's events to the configured sinks.
type Forwarder struct {
	cfg     Config
	opts    Options
	sinks   []*sinkRunner
	metrics *metrics
	log     *slog.Logger
	running atomic.Bool
}

// sinkRunner is one sink with its subscription and its metrics.
type sinkRunner struct {
	name                        string
	sink                        *sink
	sub                         *ledgerSubscriber
	log                         *slog.Logger
	warned                      atomic.Int64 // Unix nanoseconds of the last failure logged
	failures                    atomic.Int64 // failures since then
	published, failed, poisoned prometheus.Counter
}

// warnEvery is the least time between two warnings of one kind about one sink.
const warnEvery = 10 * time.Second

// schemaRetryDelay is the pause between attempts to create siem_checkpoints.
const schemaRetryDelay = 2 * time.Second

// New builds a Forwarder for a configuration (from LoadConfig or ParseConfig; one built in code
// gets the same defaults and checks) and registers its metrics with opts.Registry. It connects to
// nothing yet.
func New(cfg Config, opts Options) (*Forwarder, error) {
	if opts.Source == nil || opts.Pool == nil {
		return nil, errors.New("siem: a forwarder needs an event source and a Postgres pool")
	}
	cfg.setDefaults() // a no-op for what LoadConfig returns
	if problems := cfg.validate(); len(problems) > 0 {
		return nil, fmt.Errorf("siem: %w", errors.Join(problems...))
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	f := &Forwarder{cfg: cfg, opts: opts, log: log}
	f.metrics = newMetrics(f)
	for _, c := range cfg.Sinks {
		sinkLog := log.With("sink", c.Name)
		s, err := openSink(c, opts.PoisonDir, sinkLog)
		if err != nil {
			f.closeSinks()
			return nil, err
		}
		sub := newLedgerSubscriber(c.Name, filter{types: c.Types, streams: c.Streams}, c.MaxInFlight, opts.Source,
			cfg.Source, time.Duration(cfg.Retry.InitialInterval), checkpoints{opts.Pool}, sinkLog)
		sub.saveInterval = cmp.Or(opts.CheckpointInterval, saveInterval)
		sub.leases = opts.Leases
		f.sinks = append(f.sinks, &sinkRunner{name: c.Name, sink: s, sub: sub, log: sinkLog,
			published: f.metrics.published.WithLabelValues(c.Name), failed: f.metrics.failed.WithLabelValues(c.Name),
			poisoned: f.metrics.poisoned.WithLabelValues(c.Name)})
	}
	if opts.Registry != nil {
		if err := f.metrics.register(opts.Registry); err != nil {
			f.closeSinks()
			return nil, err
		}
	}
	return f, nil
}

// Run forwards events until ctx ends, then stores every sink's final checkpoint, closes the
// sinks and returns nil. It waits for Postgres to create siem_checkpoints first. It runs once.
func (f *Forwarder) Run(ctx context.Context) error {
	if !f.running.CompareAndSwap(false, true) {
		return errors.New("siem: Run was already called")
	}
	defer f.closeSinks()
	for {
		err := checkpoints{f.opts.Pool}.ensure(ctx)
		if err == nil {
			break
		}
		f.log.Warn("SIEM forwarder waits for Postgres", "error", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(schemaRetryDelay):
		}
	}
	// The router logs every failed delivery as an error; deliver logs them, rate-limited, instead.
	routerLog := watermill.NewSlogLoggerWithLevelMapping(f.log,
		map[slog.Level]slog.Level{slog.LevelInfo: slog.LevelDebug, slog.LevelError: slog.LevelDebug})
	router, err := message.NewRouter(message.RouterConfig{CloseTimeout: closeGrace}, routerLog)
	if err != nil {
		return fmt.Errorf("siem: router: %w", err)
	}
	for _, s := range f.sinks {
		if err := f.addHandler(router, s); err != nil {
			return err
		}
	}
	err = router.Run(ctx)
	for _, s := range f.sinks {
		_ = s.sub.Close() // waits for the final checkpoint
	}
	if err != nil {
		return fmt.Errorf("siem: router: %w", err)
	}
	return nil
}

// addHandler routes a sink's subscription to its publisher. Middleware added first runs
// outermost, so the order PoisonQueue, Retry means: Retry retries a failed delivery with
// exponential backoff, and only the error it finally gives up with reaches PoisonQueue, which
// publishes the message to the poison destination (the error in its metadata) and acks it.
// Permanent rejections skip the retries; an unavailable sink is never poisoned (the message is
// nacked and redelivered later). The handler publishes to the sink itself, inside the
// middleware chain: messages a watermill handler returns are published by the router after the
// middleware, where neither Retry nor PoisonQueue would see a failed publish.
func (f *Forwarder) addHandler(router *message.Router, s *sinkRunner) error {
	poison, err := middleware.PoisonQueueWithFilter(countingPublisher{s.sink.poison, s.poisoned},
		s.sink.poisonTopic, func(err error) bool { return !isUnavailable(err) })
	if err != nil {
		return fmt.Errorf("siem: sink %s: poison queue: %w", s.name, err)
	}
	retry := middleware.Retry{
		MaxRetries:          *f.cfg.Retry.MaxRetries,
		InitialInterval:     time.Duration(f.cfg.Retry.InitialInterval),
		MaxInterval:         time.Duration(f.cfg.Retry.MaxInterval),
		Multiplier:          2,
		RandomizationFactor: 0.2,
		ShouldRetry:         func(p middleware.RetryParams) bool { return !isPermanent(p.Err) },
	}
	h := router.AddConsumerHandler("siem-"+s.name, "$all", s.sub, s.deliver)
	h.AddMiddleware(poison, retry.Middleware)
	return nil
}

// deliver publishes one event to the sink.
func (s *sinkRunner) deliver(msg *message.Message) error {
	if reason := msg.Metadata.Get(metaEncodeError); reason != "" {
		return permanent(errors.New(reason))
	}
	if err := s.sink.pub.Publish(s.sink.topic, msg); err != nil {
		if msg.Context().Err() == nil {
			s.failed.Inc()
			s.warn(err)
		}
		return fmt.Errorf("sink %s: deliver event %s: %w", s.name, msg.UUID, err)
	}
	s.published.Inc()
	return nil
}

// warn logs a delivery failure, at most once per warnEvery, with the count since the last one.
func (s *sinkRunner) warn(err error) {
	n := s.failures.Add(1)
	last := s.warned.Load()
	now := time.Now().UnixNano()
	if now-last < int64(warnEvery) || !s.warned.CompareAndSwap(last, now) {
		return
	}
	s.failures.Add(-n)
	s.log.Warn("SIEM forwarder: delivery failed; retrying", "failures", n, "error", err)
}

func (f *Forwarder) closeSinks() {
	for _, s := range f.sinks {
		if err := s.sink.close(); err != nil {
			f.log.Warn("SIEM forwarder: closing a sink", "sink", s.name, "error", err)
		}
	}
}
