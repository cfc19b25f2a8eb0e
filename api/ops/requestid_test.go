package ops_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/ops"
)

// requestIDServer serves /echo, which answers with the id it sees in the request header and
// the id RequestIDOf returns, separated by a space.
func requestIDServer(t *testing.T) *httptest.Server {
	e := newAPIServer(t)
	e.Use(ops.RequestID())
	e.GET("/echo", func(c echo.Context) error {
		return c.String(http.StatusOK, c.Request().Header.Get(echo.HeaderXRequestID)+" "+ops.RequestIDOf(c))
	})
	return serve(t, e)
}

func TestRequestIDKeepsAWellFormedInboundID(t *testing.T) {
	srv := requestIDServer(t)
	for _, id := range []string{"a", "abc-123._:XYZ", strings.Repeat("z", ops.MaxRequestIDLength)} {
		r := get(t, srv, "/echo", map[string]string{echo.HeaderXRequestID: id})
		assert.Equal(t, http.StatusOK, r.status)
		assert.Equal(t, id, r.header.Get(echo.HeaderXRequestID), "response header")
		assert.Equal(t, id+" "+id, r.body, "request header and RequestIDOf")
	}
}

func TestRequestIDReplacesAMalformedInboundID(t *testing.T) {
	srv := requestIDServer(t)
	malformed := []string{
		strings.Repeat("z", ops.MaxRequestIDLength+1),
		"has space",
		"a/b",
		"quote\"d",
		"é",
		"semi;colon",
	}
	for _, bad := range malformed {
		r := get(t, srv, "/echo", map[string]string{echo.HeaderXRequestID: bad})
		id := r.header.Get(echo.HeaderXRequestID)
		assert.NotEqual(t, bad, id)
		assertUUIDv4(t, id)
		assert.Equal(t, id+" "+id, r.body, "the handler sees the replacement, not %q", bad)
	}
}

func TestRequestIDGeneratesADistinctUUIDv4PerRequest(t *testing.T) {
	srv := requestIDServer(t)
	first := get(t, srv, "/echo", nil)
	second := get(t, srv, "/echo", nil)

	firstID := first.header.Get(echo.HeaderXRequestID)
	assertUUIDv4(t, firstID)
	assert.Equal(t, firstID+" "+firstID, first.body)
	assertUUIDv4(t, second.header.Get(echo.HeaderXRequestID))
	assert.NotEqual(t, firstID, second.header.Get(echo.HeaderXRequestID))
}

func TestRequestIDIsOnErrorResponses(t *testing.T) {
	srv := requestIDServer(t)
	r := get(t, srv, "/no-such-route", map[string]string{echo.HeaderXRequestID: "trace-1"})
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, "trace-1", r.header.Get(echo.HeaderXRequestID))
}

func TestRequestIDOfWithoutTheMiddlewareIsEmpty(t *testing.T) {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set(echo.HeaderXRequestID, "unchecked inbound value")
	c := echo.New().NewContext(req, httptest.NewRecorder())
	assert.Empty(t, ops.RequestIDOf(c))
}

func TestValidRequestID(t *testing.T) {
	assert.True(t, ops.ValidRequestID("A-z_0.9:x"))
	assert.False(t, ops.ValidRequestID(""))
	assert.False(t, ops.ValidRequestID("line\nbreak"))
	assert.False(t, ops.ValidRequestID("nul\x00"))
}

func assertUUIDv4(t *testing.T, id string) {
	t.Helper()
	parsed, err := uuid.Parse(id)
	require.NoError(t, err, "request id %q", id)
	assert.Equal(t, uuid.Version(4), parsed.Version(), "request id %q", id)
}
