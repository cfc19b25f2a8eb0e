package ops

import "github.com/prometheus/client_golang/prometheus"

func newCommandCounter() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "certledger_commands_total",
		Help: "Commands handled, by command name and outcome.",
	}, []string{"command", "outcome"})
}

// CommandOutcome counts one handled command in certledger_commands_total{command,outcome}, such
// as ("RequestCertificate", "ok") or ("Revoke", "conflict"). Both values become label values, so
// callers must pass names from a fixed set, never request data.
func (m *Metrics) CommandOutcome(command, outcome string) {
	m.commands.WithLabelValues(command, outcome).Inc()
}
