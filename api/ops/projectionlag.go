package ops

import (
	"context"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// ProjectionLagTimeout bounds one call of the projection lag callback during a scrape.
const ProjectionLagTimeout = 5 * time.Second

// ProjectionLagFunc reports, per projection name, how many events of $all the projection has
// not applied yet.
type ProjectionLagFunc func(ctx context.Context) (map[string]float64, error)

// ObserveProjectionLag registers a collector that calls lag at every scrape and reports
// certledger_projection_lag_events{projection}. When lag fails (or panics), that scrape has no
// lag samples and the error is logged by Handler; the other metrics are still served. It fails
// when a projection lag collector is already registered.
func (m *Metrics) ObserveProjectionLag(lag ProjectionLagFunc) error {
	if lag == nil {
		return fmt.Errorf("ops: projection lag callback is nil")
	}
	c := &projectionLagCollector{
		desc: prometheus.NewDesc("certledger_projection_lag_events",
			"Events of $all not yet applied by the projection, read at scrape time.",
			[]string{"projection"}, nil),
		lag: lag,
	}
	if err := m.registry.Register(c); err != nil {
		return fmt.Errorf("ops: registering the projection lag collector: %w", err)
	}
	return nil
}

// projectionLagCollector is a prometheus.Collector that reads the lag when it is collected.
type projectionLagCollector struct {
	desc *prometheus.Desc
	lag  ProjectionLagFunc
}

func (p *projectionLagCollector) Describe(ch chan<- *prometheus.Desc) { ch <- p.desc }

func (p *projectionLagCollector) Collect(ch chan<- prometheus.Metric) {
	lags, err := p.readLag()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(p.desc, err)
		return
	}
	for projection, events := range lags {
		metric, err := prometheus.NewConstMetric(p.desc, prometheus.GaugeValue, events, projection)
		if err != nil { // a projection name that is not valid UTF-8
			metric = prometheus.NewInvalidMetric(p.desc, fmt.Errorf("ops: projection lag of %q: %w", projection, err))
		}
		ch <- metric
	}
}

// readLag calls the callback under ProjectionLagTimeout, turning a panic into an error: a
// scrape runs collectors in goroutines of their own, where a panic would end the process.
func (p *projectionLagCollector) readLag() (lags map[string]float64, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), ProjectionLagTimeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			lags, err = nil, fmt.Errorf("ops: projection lag callback panicked: %v", r)
		}
	}()
	lags, err = p.lag(ctx)
	if err != nil {
		return nil, fmt.Errorf("ops: reading projection lag: %w", err)
	}
	return lags, nil
}
