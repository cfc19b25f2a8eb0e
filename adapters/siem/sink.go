package siem

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
)

// sink is where one configured sink's events go: a publisher and its topic, and the publisher
// and topic of the sink's poison destination, for events it rejected.
type sink struct {
	pub         message.Publisher
	topic       string
	poison      message.Publisher
	poisonTopic string
}

// openSink builds the publishers of a sink. Broker connections are opened on first use, so a
// sink that is unreachable at start-up only holds back itself. Webhook sinks without a
// poison_path keep poisoned events in poisonDir/<name>.poison.jsonl.
func openSink(c SinkConfig, poisonDir string, log *slog.Logger) (*sink, error) {
	wlog := watermillLogger(log)
	switch c.Kind {
	case KindNATS:
		pub := newLazy(func() (message.Publisher, error) { return openNATS(c, wlog) })
		return &sink{pub: pub, topic: c.Subject, poison: pub, poisonTopic: c.PoisonSubject}, nil
	case KindAMQP:
		pub := newLazy(func() (message.Publisher, error) { return openAMQP(c, wlog) })
		return &sink{pub: pub, topic: c.RoutingKey, poison: pub, poisonTopic: c.PoisonRoutingKey}, nil
	case KindKafka:
		pub := newLazy(func() (message.Publisher, error) { return openKafka(c, wlog) })
		return &sink{pub: pub, topic: c.Topic, poison: pub, poisonTopic: c.PoisonTopic}, nil
	case KindWebhook:
		pub, err := newWebhookPublisher(c)
		if err != nil {
			return nil, err
		}
		path := c.PoisonPath
		if path == "" {
			if poisonDir == "" {
				return nil, fmt.Errorf("sink %s: set poison_path, or give the forwarder a poison folder", c.Name)
			}
			path = filepath.Join(poisonDir, c.Name+".poison.jsonl")
		}
		poison := newFilePublisher(path, DefaultMaxBytes, DefaultKeep, true)
		return &sink{pub: pub, topic: c.Name, poison: poison, poisonTopic: "poison"}, nil
	case KindFile:
		return &sink{pub: newFilePublisher(c.Path, c.MaxBytes, c.Keep, false), topic: c.Name,
			poison: newFilePublisher(c.PoisonPath, c.MaxBytes, c.Keep, true), poisonTopic: "poison"}, nil
	}
	return nil, fmt.Errorf("sink %s: unknown kind %q", c.Name, c.Kind)
}

// close closes the sink's publishers.
func (s *sink) close() error {
	err := s.pub.Close()
	if s.poison != s.pub {
		err = errors.Join(err, s.poison.Close())
	}
	return err
}

// reopenDelay is how long a lazy publisher waits after a failed connection before it tries again;
// meanwhile deliveries fail at once with the same error.
const reopenDelay = time.Second

// lazyPublisher opens its publisher on the first Publish and again after a failed attempt.
type lazyPublisher struct {
	open func() (message.Publisher, error)

	mu       sync.Mutex
	pub      message.Publisher
	closed   bool
	failedAt time.Time
	lastErr  error
}

func newLazy(open func() (message.Publisher, error)) *lazyPublisher {
	return &lazyPublisher{open: open}
}

func (l *lazyPublisher) get() (message.Publisher, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.closed:
		return nil, errors.New("publisher closed")
	case l.pub != nil:
		return l.pub, nil
	case time.Since(l.failedAt) < reopenDelay:
		return nil, l.lastErr
	}
	pub, err := l.open()
	if err != nil {
		l.failedAt, l.lastErr = time.Now(), unavailable(err)
		return nil, l.lastErr
	}
	l.pub = pub
	return pub, nil
}

// Publish publishes through the opened publisher, opening it first if need be.
func (l *lazyPublisher) Publish(topic string, msgs ...*message.Message) error {
	pub, err := l.get()
	if err != nil {
		return err
	}
	return pub.Publish(topic, msgs...)
}

// Close closes the publisher if it was opened.
func (l *lazyPublisher) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	if l.pub == nil {
		return nil
	}
	return l.pub.Close()
}

// classifying marks a publisher's errors with classify (see errors.go).
type classifying struct {
	message.Publisher
	classify func(error) error
}

func (c classifying) Publish(topic string, msgs ...*message.Message) error {
	if err := c.Publisher.Publish(topic, msgs...); err != nil {
		return c.classify(err)
	}
	return nil
}

// watermillLogger passes the watermill adapters' logs to slog, their info as debug.
func watermillLogger(log *slog.Logger) watermill.LoggerAdapter {
	return watermill.NewSlogLoggerWithLevelMapping(log, map[slog.Level]slog.Level{slog.LevelInfo: slog.LevelDebug})
}
