package ops

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
)

// UnmatchedRoute is the route label of a request that matched no route.
const UnmatchedRoute = "unmatched"

// otherMethod is the method label of a request with a non-standard method.
const otherMethod = "other"

// requestDurationBuckets span a cached read (0.5 ms) to an HSM-signed issuance under load (5 s).
var requestDurationBuckets = []float64{
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
}

// httpMetrics are the per-request metrics recorded by Metrics.Middleware.
type httpMetrics struct {
	requests *prometheus.CounterVec   // certledger_http_requests_total{method,route,status}
	duration *prometheus.HistogramVec // certledger_http_request_duration_seconds{method,route}
}

func newHTTPMetrics() httpMetrics {
	return httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "certledger_http_requests_total",
			Help: "HTTP requests served, by method, route template and status code sent.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "certledger_http_request_duration_seconds",
			Help:    "Time to serve an HTTP request, error response included, by method and route template.",
			Buckets: requestDurationBuckets,
		}, []string{"method", "route"}),
	}
}

// Middleware returns middleware that counts and times every request. An error returned by the
// rest of the chain is passed to the server's error handler first (as api's request logger
// does), so the status recorded is the status sent; the error is still returned, and the error
// handler ignores it then because the response is committed. A panic is recorded as a 500, the
// status the recover middleware will send.
func (m *Metrics) Middleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			returned := false
			defer func() {
				if !returned {
					m.http.observe(c, statusAfterPanic(c), time.Since(start))
				}
			}()

			err := next(c)
			if err != nil {
				c.Error(err)
			}
			returned = true
			m.http.observe(c, c.Response().Status, time.Since(start))
			return err
		}
	}
}

func (h httpMetrics) observe(c echo.Context, status int, elapsed time.Duration) {
	method, route := methodLabel(c.Request().Method), routeLabel(c)
	h.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	h.duration.WithLabelValues(method, route).Observe(elapsed.Seconds())
}

// statusAfterPanic is the status a client gets when a handler panicked: what was already sent,
// or the 500 that the recover middleware will send.
func statusAfterPanic(c echo.Context) int {
	if c.Response().Committed {
		return c.Response().Status
	}
	return http.StatusInternalServerError
}

// routeLabel is the route template the router matched, such as "/api/v1/certificates/:id", or
// UnmatchedRoute. A 405 keeps the template of the route whose path matched.
func routeLabel(c echo.Context) string {
	if route := c.Path(); route != "" {
		return route
	}
	return UnmatchedRoute
}

// methodLabel keeps the standard methods and folds any other into "other", so that a client
// cannot create label values at will.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return otherMethod
}
