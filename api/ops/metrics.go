package ops

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds certledger's Prometheus metrics in a registry of its own, so that tests and
// several servers in one process never share or collide on Prometheus' global registry.
type Metrics struct {
	registry *prometheus.Registry
	http     httpMetrics
	commands *prometheus.CounterVec
}

// NewMetrics returns metrics with the HTTP and command metrics, and the Go runtime and process
// collectors, registered in a new registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		http:     newHTTPMetrics(),
		commands: newCommandCounter(),
	}
	// MustRegister cannot panic here: the registry is new and every metric name is distinct.
	m.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.http.requests,
		m.http.duration,
		m.commands,
	)
	return m
}

// Registry returns the registry behind Handler, so other packages can add their collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// Handler serves the registry in the Prometheus exposition format, for GET /metrics. A
// collector that fails does not fail the scrape: the other metrics are served and the error is
// logged through slog.Default().
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{
		ErrorHandling: promhttp.ContinueOnError,
		ErrorLog:      slogPrintln{},
	})
}

// slogPrintln passes promhttp's error log to slog.Default() at warn level.
type slogPrintln struct{}

func (slogPrintln) Println(v ...any) {
	slog.Default().Warn("serving /metrics", "error", strings.TrimSuffix(fmt.Sprintln(v...), "\n"))
}
