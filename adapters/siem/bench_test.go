package siem_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/siem"
	"github.com/certledger/certledger/events"
)

// benchEvents is how many events the store holds before a forwarding benchmark starts.
const benchEvents = 50_000

// BenchmarkForward measures forwarder throughput per sink: from a store holding 50,000 events
// (5,000 certificate streams of 10 events, appended two per stream at a time, so streams
// interleave in $all) to every event acknowledged by the sink and covered by its watermark. Each
// iteration forwards all of them to a fresh sink (new checkpoint, new NATS stream, Kafka topic,
// AMQP queue or file). The brokers run on the same machine as the forwarder. Two reference
// points: "subscription" only reads $all through the client, and "null" forwards to a sink that
// acknowledges at once, the forwarder's own ceiling.
func BenchmarkForward(b *testing.B) {
	e := newEnv(b)
	last := e.appendEvents(b, uniform(benchEvents/10, events.CategoryCertificate, "CertificateIssued", 10), 2, 0)

	b.Run("subscription", func(b *testing.B) {
		for b.Loop() {
			ctx, cancel := context.WithCancel(context.Background())
			_ = e.store.Subscribe(ctx, 0, events.Subscription{}, func(r events.Raw) error {
				if r.Position == last {
					cancel()
				}
				return nil
			})
		}
		b.ReportMetric(float64(benchEvents*b.N)/b.Elapsed().Seconds(), "events/s")
	})
	b.Run("null", func(b *testing.B) {
		benchSink(b, e, func(i int) string {
			return fmt.Sprintf(`{"name":"null%d","kind":"file","path":%q}`, i, b.TempDir()+"/unused")
		})
	})
	b.Run("nats", func(b *testing.B) {
		benchSink(b, e, func(i int) string { return newNATSTarget(b).sink(fmt.Sprintf("nats%d", i)) })
	})
	b.Run("amqp", func(b *testing.B) {
		benchSink(b, e, func(i int) string {
			a := newAMQPTarget(b)
			return a.sink(fmt.Sprintf("amqp%d", i))
		})
	})
	b.Run("kafka", func(b *testing.B) {
		benchSink(b, e, func(i int) string {
			brokers := newKafka(b, "certledger.events", "certledger.events.poison")
			return fmt.Sprintf(`{"name":"kafka%d","kind":"kafka","brokers":[%q],"topic":"certledger.events"}`, i, brokers[0])
		})
	})
	b.Run("webhook", func(b *testing.B) {
		r := newReceiver(b, func(string) int { return http.StatusNoContent })
		benchSink(b, e, func(i int) string { return r.sink(b, fmt.Sprintf("webhook%d", i)) })
	})
	b.Run("file", func(b *testing.B) {
		benchSink(b, e, func(i int) string {
			return fmt.Sprintf(`{"name":"file%d","kind":"file","path":%q}`, i, b.TempDir()+"/events.jsonl")
		})
	})
}

// benchSinks numbers the sinks of the benchmarks.
var benchSinks atomic.Int64

// benchSink forwards the store's events to the sink sinkJSON(i) returns, once per iteration.
func benchSink(b *testing.B, e *env, sinkJSON func(i int) string) {
	for b.Loop() {
		i := int(benchSinks.Add(1)) // a new sink name: a new checkpoint, even with -count
		b.StopTimer()
		cfg := config(b, `{"sinks":[`+sinkJSON(i)+`]}`)
		f, err := siem.New(cfg, siem.Options{Source: e.store, Pool: e.pool, PoisonDir: b.TempDir()})
		require.NoError(b, err)
		if strings.HasPrefix(cfg.Sinks[0].Name, "null") {
			siem.SetSinkPublishers(f, cfg.Sinks[0].Name, nullPublisher{}, nullPublisher{})
		}
		b.StartTimer()
		stop := e.run(b, f)
		for {
			lags, err := f.Lag(context.Background())
			require.NoError(b, err)
			if lags[cfg.Sinks[0].Name] == 0 {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		b.StopTimer()
		stop()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchEvents*b.N)/b.Elapsed().Seconds(), "events/s")
}

// nullPublisher acknowledges every message at once.
type nullPublisher struct{}

func (nullPublisher) Publish(string, ...*message.Message) error { return nil }
func (nullPublisher) Close() error                              { return nil }
