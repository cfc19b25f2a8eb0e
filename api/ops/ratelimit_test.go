package ops_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/ops"
)

// Test requests name their principal and class in these headers.
const (
	principalHeader = "X-Test-Principal"
	classHeader     = "X-Test-Class"
)

func keyFromTestHeaders(c echo.Context) (principal, class string) {
	return c.Request().Header.Get(principalHeader), c.Request().Header.Get(classHeader)
}

// rateLimitedServer serves GET /work behind a limiter built from cfg, with the key taken from
// the test headers and the clock from clock.
func rateLimitedServer(t *testing.T, cfg ops.RateLimitConfig, clock *fakeClock) (*httptest.Server, *ops.RateLimiter) {
	t.Helper()
	cfg.Key = keyFromTestHeaders
	cfg.Now = clock.Now
	limiter, err := ops.NewRateLimiter(cfg)
	require.NoError(t, err)
	e := newAPIServer(t)
	e.Use(limiter.Middleware())
	e.GET("/work", ok)
	return serve(t, e), limiter
}

func call(t *testing.T, srv *httptest.Server, principal, class string) response {
	t.Helper()
	return get(t, srv, "/work", map[string]string{principalHeader: principal, classHeader: class})
}

// statusOf is call for other goroutines than the test's, which must not stop the test.
func statusOf(srv *httptest.Server, principal, class string) (int, error) {
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/work", nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set(principalHeader, principal)
	req.Header.Set(classHeader, class)
	res, err := srv.Client().Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, err
}

func TestRateLimitPassesTheBurstThenRefusesWithAProblem(t *testing.T) {
	srv, _ := rateLimitedServer(t, ops.RateLimitConfig{
		Classes: map[string]ops.Limit{"issue": {PerSecond: 0.25, Burst: 3}},
	}, newFakeClock())

	for i := range 3 {
		assert.Equal(t, http.StatusOK, call(t, srv, "alice", "issue").status, "request %d of the burst", i+1)
	}
	r := call(t, srv, "alice", "issue")
	require.Equal(t, http.StatusTooManyRequests, r.status)
	p := problemOf(t, r)
	assert.Equal(t, ops.RateLimitedProblemType, p.Type)
	assert.Equal(t, "Too Many Requests", p.Title)
	assert.Equal(t, http.StatusTooManyRequests, p.Status)
	assert.Contains(t, p.Detail, `"issue"`)
	assert.Contains(t, p.Detail, "0.25 per second")
	assert.Contains(t, p.Detail, "bursts of 3")
	assert.Equal(t, "4", r.header.Get(echo.HeaderRetryAfter), "one token every 4 s")
}

func TestRateLimitRetryAfterIsAtLeastOneSecond(t *testing.T) {
	srv, _ := rateLimitedServer(t, ops.RateLimitConfig{
		Classes: map[string]ops.Limit{"read": {PerSecond: 100, Burst: 1}},
	}, newFakeClock())

	call(t, srv, "alice", "read")
	r := call(t, srv, "alice", "read")
	require.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, "1", r.header.Get(echo.HeaderRetryAfter), "10 ms rounds up to 1 s")
}

func TestRateLimitPrincipalsAreIndependent(t *testing.T) {
	srv, _ := rateLimitedServer(t, ops.RateLimitConfig{
		Classes: map[string]ops.Limit{"read": {PerSecond: 1, Burst: 2}},
	}, newFakeClock())

	call(t, srv, "alice", "read")
	call(t, srv, "alice", "read")
	assert.Equal(t, http.StatusTooManyRequests, call(t, srv, "alice", "read").status)
	assert.Equal(t, http.StatusOK, call(t, srv, "bob", "read").status)
	assert.Equal(t, http.StatusOK, call(t, srv, "bob", "read").status)
}

func TestRateLimitClassesAreIndependent(t *testing.T) {
	srv, _ := rateLimitedServer(t, ops.RateLimitConfig{
		Classes: map[string]ops.Limit{"read": {PerSecond: 1, Burst: 1}, "issue": {PerSecond: 1, Burst: 1}},
	}, newFakeClock())

	call(t, srv, "alice", "read")
	assert.Equal(t, http.StatusTooManyRequests, call(t, srv, "alice", "read").status)
	assert.Equal(t, http.StatusOK, call(t, srv, "alice", "issue").status)
	assert.Equal(t, http.StatusTooManyRequests, call(t, srv, "alice", "issue").status)
}

func TestRateLimitIgnoresTheEmptyAndUnknownClasses(t *testing.T) {
	srv, _ := rateLimitedServer(t, ops.RateLimitConfig{
		Classes: map[string]ops.Limit{"read": {PerSecond: 1, Burst: 1}},
	}, newFakeClock())

	for range 5 {
		assert.Equal(t, http.StatusOK, call(t, srv, "alice", "").status)
		assert.Equal(t, http.StatusOK, call(t, srv, "alice", "not-configured").status)
	}
}

func TestRateLimitARefusedRequestConsumesNoToken(t *testing.T) {
	clock := newFakeClock()
	srv, _ := rateLimitedServer(t, ops.RateLimitConfig{
		Classes: map[string]ops.Limit{"issue": {PerSecond: 0.5, Burst: 1}},
	}, clock)

	require.Equal(t, http.StatusOK, call(t, srv, "alice", "issue").status)
	var retryAfter string
	for range 5 {
		r := call(t, srv, "alice", "issue")
		require.Equal(t, http.StatusTooManyRequests, r.status)
		retryAfter = r.header.Get(echo.HeaderRetryAfter)
		assert.Equal(t, "2", retryAfter, "refusals do not push the next token further away")
	}

	seconds, err := strconv.Atoi(retryAfter)
	require.NoError(t, err)
	clock.Advance(time.Duration(seconds) * time.Second)
	assert.Equal(t, http.StatusOK, call(t, srv, "alice", "issue").status, "after Retry-After a token is there")
	assert.Equal(t, http.StatusTooManyRequests, call(t, srv, "alice", "issue").status)
}

func TestRateLimitUnderConcurrentRequests(t *testing.T) {
	const principals, perPrincipal, burst = 4, 25, 20
	srv, limiter := rateLimitedServer(t, ops.RateLimitConfig{
		Classes: map[string]ops.Limit{"read": {PerSecond: 1, Burst: burst}},
	}, newFakeClock()) // the clock stands still: no token comes back during the test

	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		statuses = map[string]map[int]int{}
	)
	for p := range principals {
		name := "principal-" + strconv.Itoa(p)
		counts := map[int]int{} // counts by status; only touched under mu by the goroutines
		statuses[name] = counts
		for range perPrincipal {
			wg.Go(func() {
				status, err := statusOf(srv, name, "read")
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Errorf("request of %s: %v", name, err)
					return
				}
				counts[status]++
			})
		}
	}
	wg.Wait()

	for name, byStatus := range statuses {
		assert.Equal(t, map[int]int{http.StatusOK: burst, http.StatusTooManyRequests: perPrincipal - burst}, byStatus, name)
	}
	assert.Equal(t, principals, limiter.PrincipalCount())
}
