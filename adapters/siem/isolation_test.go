package siem_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/siem"
	"github.com/certledger/certledger/events"
)

// closedPort returns a loopback address nothing listens on.
func closedPort(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// fileLines returns the lines of a file.
func fileLines(t testing.TB, path string) [][]byte {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	var out [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		out = append(out, append([]byte(nil), sc.Bytes()...))
	}
	require.NoError(t, sc.Err())
	return out
}

// TestDownSinkHoldsBackOnlyItself runs three sinks: NATS on a closed port (down throughout), a
// webhook answering 503 until it recovers, and a file. The file gets every event while the
// others are down; nothing is poisoned; the webhook catches up once it answers again; the
// metrics show who lags.
func TestDownSinkHoldsBackOnlyItself(t *testing.T) {
	e := newEnv(t)
	e.appendEvents(t, uniform(50, events.CategoryCertificate, "CertificateIssued", 6), 2, 0)
	var up atomic.Bool
	r := newReceiver(t, func(string) int {
		if up.Load() {
			return http.StatusOK
		}
		return http.StatusServiceUnavailable
	})
	archive := t.TempDir() + "/events.jsonl"
	cfg := config(t, fmt.Sprintf(`{"sinks":[
		{"name":"soc","kind":"nats","url":"nats://%s","subject":"siemtest.down"},
		%s,
		{"name":"archive","kind":"file","path":%q}],
		"retry":{"max_retries":2,"initial_interval":"10ms","max_interval":"50ms"}}`,
		closedPort(t), strings.Replace(r.sink(t, "hook"), `"kind"`, `"max_in_flight":16,"kind"`, 1), archive))
	reg := prometheus.NewRegistry()
	f, err := siem.New(cfg, siem.Options{Source: e.store, Pool: e.pool, Registry: reg, Logger: testLogger(t)})
	require.NoError(t, err)
	e.run(t, f)

	waitFor(t, 30*time.Second, "the file sink to catch up", func() bool { return caughtUp(t, f, "archive") })
	e.appendEvents(t, uniform(20, events.CategoryCA, "CACreated", 3), 3, 0) // more while two sinks are down
	waitFor(t, 30*time.Second, "the file sink to catch up again", func() bool { return caughtUp(t, f, "archive") })
	want := len(e.ledgerEvents(t, nil))
	assert.Equal(t, want, inOrder(t, fileLines(t, archive)))
	assert.Empty(t, r.received(), "the webhook accepted nothing yet")
	lags, err := f.Lag(t.Context())
	require.NoError(t, err)
	assert.NotZero(t, lags["soc"])
	assert.NotZero(t, lags["hook"])

	up.Store(true)
	waitFor(t, 60*time.Second, "the webhook to catch up", func() bool { return caughtUp(t, f, "hook") })
	assert.Equal(t, want, inOrder(t, r.received()))
	_, err = os.Stat(cfg.Sinks[1].PoisonPath)
	assert.ErrorIs(t, err, os.ErrNotExist, "an unavailable sink poisons nothing")

	lags, err = f.Lag(t.Context())
	require.NoError(t, err)
	assert.NotZero(t, lags["soc"], "NATS is still down")
	cp, err := siem.Checkpoint(t.Context(), e.pool, "soc")
	require.NoError(t, err)
	assert.Zero(t, cp)
	assert.Equal(t, float64(want), sample(t, reg, "certledger_siem_published_total", "archive"))
	assert.NotZero(t, sample(t, reg, "certledger_siem_failed_total", "soc"))
	assert.Zero(t, sample(t, reg, "certledger_siem_poisoned_total", "hook"))
	assert.Equal(t, float64(lags["soc"]), sample(t, reg, "certledger_siem_lag_events", "soc"))
}

// sample returns the value of a metric's sample for a sink in reg.
func sample(t testing.TB, reg *prometheus.Registry, name, sink string) float64 {
	t.Helper()
	families, err := reg.Gather()
	require.NoError(t, err)
	for _, mf := range families {
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if mf.GetName() == name && l.GetName() == "sink" && l.GetValue() == sink {
					return m.GetCounter().GetValue() + m.GetGauge().GetValue()
				}
			}
		}
	}
	t.Fatalf("no %s{sink=%q}", name, sink)
	return 0
}
