package ops

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api"
)

// RateLimitedProblemType is the problem type of a 429 response.
const RateLimitedProblemType = "https://certledger.dev/problems/rate-limited"

// RateLimiter limits requests with a token bucket per (principal, class). It is safe for
// concurrent use and starts no goroutine, so it needs no Close.
type RateLimiter struct {
	cfg RateLimitConfig

	mu         sync.Mutex // guards principals and the reserve-then-cancel of a refused request
	principals *principalTable
}

// NewRateLimiter checks cfg, fills in its defaults and returns a limiter with no principals yet.
func NewRateLimiter(cfg RateLimitConfig) (*RateLimiter, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &RateLimiter{cfg: cfg, principals: newPrincipalTable(cfg.MaxPrincipals)}, nil
}

// Middleware returns middleware that refuses a request over its principal's limit with a 429
// problem and a Retry-After header, and passes every other request on. Install it after the
// middleware that the Key function depends on, such as authentication.
func (rl *RateLimiter) Middleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			who, class := rl.cfg.Key(c)
			limit, limited := rl.cfg.Classes[class]
			if !limited {
				return next(c)
			}
			wait, allowed := rl.take(who, class, limit)
			if !allowed {
				seconds := retryAfterSeconds(wait)
				c.Response().Header().Set(echo.HeaderRetryAfter, strconv.Itoa(seconds))
				return rateLimitedProblem(class, limit, seconds)
			}
			return next(c)
		}
	}
}

// take takes one token from the bucket of (who, class). When the bucket is empty it takes
// nothing and returns how long until a token will be available.
func (rl *RateLimiter) take(who, class string, limit Limit) (wait time.Duration, allowed bool) {
	now := rl.cfg.Now()
	rl.mu.Lock()
	defer rl.mu.Unlock()

	rl.principals.forgetIdle(now.Add(-rl.cfg.IdleTTL))
	bucket := rl.principals.touch(who, now).bucket(class, limit)
	reservation := bucket.ReserveN(now, 1) // always OK: validation guarantees Burst >= 1
	if wait = reservation.DelayFrom(now); wait > 0 {
		reservation.CancelAt(now) // give the token back: a refused request consumes nothing
		return wait, false
	}
	return 0, true
}

// retryAfterSeconds rounds wait up to whole seconds, at least 1, as Retry-After requires.
func retryAfterSeconds(wait time.Duration) int {
	seconds := int((wait + time.Second - 1) / time.Second)
	return max(seconds, 1)
}

func rateLimitedProblem(class string, limit Limit, retryAfter int) *api.Problem {
	return &api.Problem{
		Type:   RateLimitedProblemType,
		Title:  http.StatusText(http.StatusTooManyRequests),
		Status: http.StatusTooManyRequests,
		Detail: fmt.Sprintf("too many %q requests: the limit is %g per second with bursts of %d; retry in %d s",
			class, limit.PerSecond, limit.Burst, retryAfter),
	}
}
