package ops_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api"
	"github.com/certledger/certledger/api/ops"
)

// metricsServer serves a few routes behind the metrics middleware, and GET /metrics.
func metricsServer(t *testing.T, metrics *ops.Metrics) *httptest.Server {
	t.Helper()
	e := newAPIServer(t)
	e.Use(metrics.Middleware())
	e.GET("/metrics", echo.WrapHandler(metrics.Handler()))
	e.GET("/api/v1/certificates/:id", ok)
	e.POST("/api/v1/certificates", func(echo.Context) error {
		return &api.Problem{Type: "https://certledger.dev/problems/policy-violation",
			Title: "Unprocessable Entity", Status: http.StatusUnprocessableEntity, Detail: "key too short"}
	})
	e.GET("/boom", func(echo.Context) error { panic("handler bug") })
	return serve(t, e)
}

// scrape reads /metrics with a real GET and returns its samples by series, such as
// `certledger_commands_total{command="Revoke",outcome="ok"}`.
func scrape(t *testing.T, srv *httptest.Server) map[string]float64 {
	t.Helper()
	r := get(t, srv, "/metrics", nil)
	require.Equal(t, http.StatusOK, r.status, r.body)
	samples := map[string]float64{}
	lines := bufio.NewScanner(strings.NewReader(r.body))
	for lines.Scan() {
		line := lines.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cut := strings.LastIndexByte(line, ' ')
		require.Positive(t, cut, "sample line %q", line)
		value, err := strconv.ParseFloat(line[cut+1:], 64)
		require.NoError(t, err, "sample line %q", line)
		samples[line[:cut]] = value
	}
	require.NoError(t, lines.Err())
	return samples
}

func TestMetricsCountRequestsByRouteTemplateAndStatusSent(t *testing.T) {
	srv := metricsServer(t, ops.NewMetrics())

	assert.Equal(t, http.StatusOK, get(t, srv, "/api/v1/certificates/abc", nil).status)
	assert.Equal(t, http.StatusOK, get(t, srv, "/api/v1/certificates/def", nil).status)
	assert.Equal(t, http.StatusNotFound, get(t, srv, "/no/such/route", nil).status)
	assert.Equal(t, http.StatusNotFound, get(t, srv, "/another-missing-route", nil).status)
	assert.Equal(t, http.StatusMethodNotAllowed, send(t, srv.Client(), http.MethodDelete, srv.URL+"/api/v1/certificates", nil).status)
	assert.Equal(t, http.StatusNotFound, send(t, srv.Client(), "PURGE", srv.URL+"/x", nil).status)

	problem := send(t, srv.Client(), http.MethodPost, srv.URL+"/api/v1/certificates", nil)
	require.Equal(t, http.StatusUnprocessableEntity, problem.status)
	assert.Equal(t, "key too short", problemOf(t, problem).Detail, "the problem is sent once, intact")

	crashed := get(t, srv, "/boom", nil)
	require.Equal(t, http.StatusInternalServerError, crashed.status)

	samples := scrape(t, srv)
	want := map[string]float64{
		`certledger_http_requests_total{method="GET",route="/api/v1/certificates/:id",status="200"}`:    2,
		`certledger_http_requests_total{method="GET",route="unmatched",status="404"}`:                   2,
		`certledger_http_requests_total{method="other",route="unmatched",status="404"}`:                 1,
		`certledger_http_requests_total{method="DELETE",route="/api/v1/certificates",status="405"}`:     1,
		`certledger_http_requests_total{method="POST",route="/api/v1/certificates",status="422"}`:       1,
		`certledger_http_requests_total{method="GET",route="/boom",status="500"}`:                       1,
		`certledger_http_request_duration_seconds_count{method="GET",route="/api/v1/certificates/:id"}`: 2,
		`certledger_http_request_duration_seconds_count{method="POST",route="/api/v1/certificates"}`:    1,
	}
	for series, value := range want {
		assert.Equal(t, value, samples[series], series)
	}
	for series := range samples {
		assert.NotContains(t, series, "abc", "a raw path leaked into a label")
		assert.NotContains(t, series, "no/such", "a raw path leaked into a label")
		assert.NotContains(t, series, "PURGE", "a non-standard method leaked into a label")
	}
	assert.Contains(t, samples, "go_goroutines", "the Go collector is registered")
	assert.Contains(t, samples, `certledger_http_request_duration_seconds_bucket{method="GET",route="/api/v1/certificates/:id",le="0.0005"}`)
	assert.Contains(t, samples, `certledger_http_request_duration_seconds_bucket{method="GET",route="/api/v1/certificates/:id",le="5"}`)
}

func TestMetricsCountCommandOutcomes(t *testing.T) {
	metrics := ops.NewMetrics()
	srv := metricsServer(t, metrics)

	metrics.CommandOutcome("RequestCertificate", "ok")
	metrics.CommandOutcome("RequestCertificate", "ok")
	metrics.CommandOutcome("Revoke", "conflict")

	samples := scrape(t, srv)
	assert.Equal(t, 2.0, samples[`certledger_commands_total{command="RequestCertificate",outcome="ok"}`])
	assert.Equal(t, 1.0, samples[`certledger_commands_total{command="Revoke",outcome="conflict"}`])
}

func TestMetricsReportProjectionLagAtScrapeTime(t *testing.T) {
	metrics := ops.NewMetrics()
	srv := metricsServer(t, metrics)
	lag := map[string]float64{"pki": 42, "inventory": 0}
	require.NoError(t, metrics.ObserveProjectionLag(func(ctx context.Context) (map[string]float64, error) {
		_, hasDeadline := ctx.Deadline()
		assert.True(t, hasDeadline, "the callback runs under a deadline")
		return lag, nil
	}))

	samples := scrape(t, srv)
	assert.Equal(t, 42.0, samples[`certledger_projection_lag_events{projection="pki"}`])
	assert.Contains(t, samples, `certledger_projection_lag_events{projection="inventory"}`)

	lag = map[string]float64{"pki": 7}
	assert.Equal(t, 7.0, scrape(t, srv)[`certledger_projection_lag_events{projection="pki"}`], "read again at each scrape")
}

func TestMetricsServeTheRestWhenProjectionLagFails(t *testing.T) {
	for name, lag := range map[string]ops.ProjectionLagFunc{
		"error": func(context.Context) (map[string]float64, error) { return nil, errors.New("postgres is down") },
		"panic": func(context.Context) (map[string]float64, error) { panic("callback bug") },
	} {
		t.Run(name, func(t *testing.T) {
			logs := captureDefaultLogger(t)
			metrics := ops.NewMetrics()
			srv := metricsServer(t, metrics)
			require.NoError(t, metrics.ObserveProjectionLag(lag))

			samples := scrape(t, srv)
			assert.Contains(t, samples, "go_goroutines")
			for series := range samples {
				assert.NotContains(t, series, "certledger_projection_lag_events")
			}
			assert.Contains(t, logs.String(), "projection lag", "the failure is logged")
		})
	}
}

// captureDefaultLogger points slog.Default() at a buffer until the test ends. Tests that use it
// must not run in parallel.
func captureDefaultLogger(t *testing.T) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	previous := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(previous) })
	return &buf
}

func TestObserveProjectionLagTwiceFails(t *testing.T) {
	metrics := ops.NewMetrics()
	lag := func(context.Context) (map[string]float64, error) { return nil, nil }
	require.NoError(t, metrics.ObserveProjectionLag(lag))

	err := metrics.ObserveProjectionLag(lag)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ops: registering the projection lag collector")
	assert.Error(t, metrics.ObserveProjectionLag(nil))
}

func TestMetricsUseTheirOwnRegistry(t *testing.T) {
	first, second := ops.NewMetrics(), ops.NewMetrics() // would panic on a shared registry
	assert.NotSame(t, first.Registry(), second.Registry())
}
