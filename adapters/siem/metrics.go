package siem

import (
	"context"
	"fmt"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/prometheus/client_golang/prometheus"
)

// lagTimeout bounds the read of the newest position during a scrape.
const lagTimeout = 5 * time.Second

// metrics are the forwarder's Prometheus collectors, labelled by sink.
type metrics struct {
	published *prometheus.CounterVec
	failed    *prometheus.CounterVec
	poisoned  *prometheus.CounterVec
	lag       *lagCollector
}

func newMetrics(f *Forwarder) *metrics {
	counter := func(name, help string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, []string{"sink"})
	}
	return &metrics{
		published: counter("certledger_siem_published_total", "Events the sink acknowledged."),
		failed:    counter("certledger_siem_failed_total", "Deliveries to the sink that failed (each retry counts)."),
		poisoned:  counter("certledger_siem_poisoned_total", "Events sent to the sink's poison destination."),
		lag: &lagCollector{f: f, desc: prometheus.NewDesc("certledger_siem_lag_events",
			"Newest position in $all minus the position up to which the sink acknowledged every event, read at scrape time.",
			[]string{"sink"}, nil)},
	}
}

// register adds the collectors to reg.
func (m *metrics) register(reg *prometheus.Registry) error {
	for _, c := range []prometheus.Collector{m.published, m.failed, m.poisoned, m.lag} {
		if err := reg.Register(c); err != nil {
			return fmt.Errorf("register SIEM metrics: %w", err)
		}
	}
	return nil
}

// lagCollector reports each sink's lag when scraped.
type lagCollector struct {
	f    *Forwarder
	desc *prometheus.Desc
}

func (c *lagCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *lagCollector) Collect(ch chan<- prometheus.Metric) {
	lags, err := c.f.Lag(context.Background())
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for sink, lag := range lags {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(lag), sink)
	}
}

// Lag returns, per sink, the newest position in $all minus the sink's watermark (the position up
// to which it acknowledged every event). Positions are opaque: in the embedded store they count
// events.
func (f *Forwarder) Lag(ctx context.Context) (map[string]uint64, error) {
	ctx, cancel := context.WithTimeout(ctx, lagTimeout)
	defer cancel()
	last, err := f.opts.Source.LastPosition(ctx)
	if err != nil {
		return nil, fmt.Errorf("SIEM lag: %w", err)
	}
	lags := make(map[string]uint64, len(f.sinks))
	for _, s := range f.sinks {
		lags[s.name] = last - min(last, s.sub.position.Load())
	}
	return lags, nil
}

// countingPublisher counts the messages a poison publisher took.
type countingPublisher struct {
	message.Publisher
	n prometheus.Counter
}

func (c countingPublisher) Publish(topic string, msgs ...*message.Message) error {
	if err := c.Publisher.Publish(topic, msgs...); err != nil {
		return err
	}
	c.n.Add(float64(len(msgs)))
	return nil
}
