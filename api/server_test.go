package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api"
)

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func check(name string, err error) api.Check {
	return api.CheckFunc{CheckName: name, Func: func(context.Context) error { return err }}
}

func newServer(t *testing.T, checks ...api.Check) *echo.Echo {
	t.Helper()
	e, err := api.NewServer(api.Options{Logger: quietLogger(), Checks: checks, CheckTimeout: 200 * time.Millisecond})
	require.NoError(t, err)
	return e
}

func serve(t *testing.T, e *echo.Echo, method, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec
}

func TestHealthzIsAlwaysOK(t *testing.T) {
	e := newServer(t, check("eventstore", errors.New("down")))

	rec := serve(t, e, http.MethodGet, "/healthz")

	assert.Equal(t, http.StatusOK, rec.Code)
	assert.JSONEq(t, `{"status":"ok"}`, rec.Body.String())
}

func TestReadyz(t *testing.T) {
	hang := api.CheckFunc{CheckName: "slow", Func: func(context.Context) error {
		time.Sleep(2 * time.Second) // Ignores its context on purpose.
		return nil
	}}
	panics := api.CheckFunc{CheckName: "buggy", Func: func(context.Context) error { panic("boom") }}

	tests := []struct {
		name       string
		checks     []api.Check
		wantStatus int
		wantChecks map[string]string
	}{
		{
			name:       "no checks is ready",
			wantStatus: http.StatusOK,
			wantChecks: map[string]string{},
		},
		{
			name:       "all checks pass",
			checks:     []api.Check{check("eventstore", nil), check("postgres", nil)},
			wantStatus: http.StatusOK,
			wantChecks: map[string]string{"eventstore": "ok", "postgres": "ok"},
		},
		{
			name:       "one check fails",
			checks:     []api.Check{check("eventstore", nil), check("postgres", errors.New("connection refused"))},
			wantStatus: http.StatusServiceUnavailable,
			wantChecks: map[string]string{"eventstore": "ok", "postgres": "connection refused"},
		},
		{
			name:       "a hanging check times out",
			checks:     []api.Check{check("eventstore", nil), hang},
			wantStatus: http.StatusServiceUnavailable,
			wantChecks: map[string]string{"eventstore": "ok", "slow": "timed out after 200ms"},
		},
		{
			name:       "a panicking check fails without crashing",
			checks:     []api.Check{panics},
			wantStatus: http.StatusServiceUnavailable,
			wantChecks: map[string]string{"buggy": "check panicked: boom"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newServer(t, tt.checks...)

			start := time.Now()
			rec := serve(t, e, http.MethodGet, "/readyz")

			assert.Less(t, time.Since(start), time.Second, "readyz must not wait past the check timeout")
			assert.Equal(t, tt.wantStatus, rec.Code)
			assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
			var body api.Readiness
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			assert.Equal(t, tt.wantChecks, body.Checks)
			wantWord := map[int]string{http.StatusOK: "ready", http.StatusServiceUnavailable: "unavailable"}
			assert.Equal(t, wantWord[tt.wantStatus], body.Status)
		})
	}
}

func TestReadyzPassesADeadlineToChecks(t *testing.T) {
	var hadDeadline bool
	e := newServer(t, api.CheckFunc{CheckName: "x", Func: func(ctx context.Context) error {
		_, hadDeadline = ctx.Deadline()
		return nil
	}})

	rec := serve(t, e, http.MethodGet, "/readyz")

	assert.Equal(t, http.StatusOK, rec.Code)
	assert.True(t, hadDeadline)
}

type node struct{}

func (node) Node() string           { return "node-a" }
func (node) Held() map[string]int64 { return map[string]int64{"projection/pki": 3, "siem/nats": 1} }

func TestReadyzNamesTheNodeAndItsLeases(t *testing.T) {
	e, err := api.NewServer(api.Options{Node: node{}})
	require.NoError(t, err)

	rec := serve(t, e, http.MethodGet, "/readyz")

	var body api.Readiness
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	assert.Equal(t, "node-a", body.Node)
	assert.Equal(t, map[string]int64{"projection/pki": 3, "siem/nats": 1}, body.Leases)
}

func TestErrorsAreProblemDocuments(t *testing.T) {
	e := newServer(t)
	e.GET("/panic", func(echo.Context) error { panic("secret panic value") })
	e.GET("/internal", func(echo.Context) error { return errors.New("secret database error") })
	e.GET("/bad", func(echo.Context) error { return echo.NewHTTPError(http.StatusBadRequest, "serial is not hex") })
	e.GET("/problem", func(echo.Context) error {
		return &api.Problem{Type: "urn:certledger:conflict", Title: "Conflict", Status: http.StatusConflict, Detail: "already revoked"}
	})

	tests := []struct {
		name   string
		method string
		path   string
		want   api.Problem
	}{
		{"handler panic", http.MethodGet, "/panic", *api.NewProblem(500, "The server could not complete the request.")},
		{"plain error", http.MethodGet, "/internal", *api.NewProblem(500, "The server could not complete the request.")},
		{"echo HTTP error", http.MethodGet, "/bad", *api.NewProblem(400, "serial is not hex")},
		{"typed problem", http.MethodGet, "/problem", api.Problem{Type: "urn:certledger:conflict", Title: "Conflict", Status: 409, Detail: "already revoked"}},
		{"unknown route", http.MethodGet, "/nope", *api.NewProblem(404, "Not Found")},
		{"wrong method", http.MethodPost, "/healthz", *api.NewProblem(405, "Method Not Allowed")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, e, tt.method, tt.path)

			assert.Equal(t, tt.want.Status, rec.Code)
			assert.Equal(t, api.ProblemContentType, rec.Header().Get("Content-Type"))
			assert.NotContains(t, rec.Body.String(), "secret")
			var got api.Problem
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestProblemForHeadHasNoBody(t *testing.T) {
	e := newServer(t)

	rec := serve(t, e, http.MethodHead, "/nope")

	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.Empty(t, rec.Body.String())
}

func TestNewServerRejectsBadChecks(t *testing.T) {
	tests := []struct {
		name    string
		opts    api.Options
		wantErr string
	}{
		{"duplicate names", api.Options{Checks: []api.Check{check("pg", nil), check("pg", nil)}}, `two readiness checks named "pg"`},
		{"empty name", api.Options{Checks: []api.Check{check("", nil)}}, "empty name"},
		{"nil check", api.Options{Checks: []api.Check{nil}}, "check 0 is nil"},
		{"negative timeout", api.Options{CheckTimeout: -time.Second}, "negative check timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := api.NewServer(tt.opts)

			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}
