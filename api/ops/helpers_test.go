package ops_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api"
)

// newAPIServer returns an echo server as api.NewServer builds it (problem handler, request
// logger, panic recovery), so the middleware is tested in the chain it runs in.
func newAPIServer(t *testing.T) *echo.Echo {
	t.Helper()
	e, err := api.NewServer(api.Options{Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	return e
}

// serve starts e on a real listener for the duration of the test.
func serve(t *testing.T, e *echo.Echo) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

// response is what a test needs of an HTTP response, with the body already read.
type response struct {
	status int
	header http.Header
	body   string
}

// send makes one real HTTP request and reads the whole response.
func send(t *testing.T, client *http.Client, method, url string, header map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	for name, value := range header {
		req.Header.Set(name, value)
	}
	res, err := client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return response{status: res.StatusCode, header: res.Header, body: string(body)}
}

// get sends a GET with the test server's client.
func get(t *testing.T, srv *httptest.Server, path string, header map[string]string) response {
	t.Helper()
	return send(t, srv.Client(), http.MethodGet, srv.URL+path, header)
}

// problemOf decodes a problem+json response strictly: one document and nothing after it.
func problemOf(t *testing.T, r response) api.Problem {
	t.Helper()
	require.Equal(t, api.ProblemContentType, r.header.Get(echo.HeaderContentType))
	var p api.Problem
	require.NoError(t, json.Unmarshal([]byte(r.body), &p), "body: %s", r.body)
	return p
}

// fakeClock is a clock that moves only when the test advances it.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// ok is a handler that answers 200 "ok".
func ok(c echo.Context) error { return c.String(http.StatusOK, "ok") }
