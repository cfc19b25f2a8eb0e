package ops

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/labstack/echo/v4"
)

// Defaults for the zero values of RateLimitConfig.
const (
	DefaultIdleTTL       = 10 * time.Minute
	DefaultMaxPrincipals = 100_000
)

// Limit is the token bucket of one class: PerSecond tokens are added every second, up to Burst.
// Each request takes one token.
type Limit struct {
	PerSecond float64
	Burst     int
}

// refillTime is how long an empty bucket takes to fill up completely.
func (l Limit) refillTime() time.Duration {
	return time.Duration(math.Ceil(float64(l.Burst) / l.PerSecond * float64(time.Second)))
}

// RateLimitConfig configures NewRateLimiter.
type RateLimitConfig struct {
	// Classes maps a class name, such as "read" or "issue", to its limit. Required.
	Classes map[string]Limit
	// Key names who makes the request (the principal: an actor, a token hash, a client IP)
	// and which class it belongs to. The empty class, and a class missing from Classes, are
	// not limited. Required.
	Key func(c echo.Context) (principal, class string)
	// IdleTTL is how long a principal may go without requests before it is forgotten; zero
	// means DefaultIdleTTL. It must be at least the time the slowest class needs to refill
	// a bucket completely (Burst / PerSecond), so forgetting a principal grants it nothing.
	IdleTTL time.Duration
	// MaxPrincipals caps how many principals are remembered; zero means DefaultMaxPrincipals.
	// When it is reached, the least recently seen principal is forgotten first.
	MaxPrincipals int
	// Now is the clock; nil means time.Now. Tests set it to a fake clock.
	Now func() time.Time
}

// withDefaults returns cfg with its zero values replaced by the defaults.
func (cfg RateLimitConfig) withDefaults() RateLimitConfig {
	if cfg.IdleTTL == 0 {
		cfg.IdleTTL = DefaultIdleTTL
	}
	if cfg.MaxPrincipals == 0 {
		cfg.MaxPrincipals = DefaultMaxPrincipals
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg
}

// validate returns every problem with a defaulted configuration, joined into one error.
func (cfg RateLimitConfig) validate() error {
	var errs []error
	if cfg.Key == nil {
		errs = append(errs, errors.New("Key is nil"))
	}
	if len(cfg.Classes) == 0 {
		errs = append(errs, errors.New("no classes are configured"))
	}
	if cfg.IdleTTL < 0 {
		errs = append(errs, fmt.Errorf("IdleTTL %s is negative", cfg.IdleTTL))
	}
	if cfg.MaxPrincipals < 0 {
		errs = append(errs, fmt.Errorf("MaxPrincipals %d is negative", cfg.MaxPrincipals))
	}
	for name, limit := range cfg.Classes {
		if err := validateClass(name, limit, cfg.IdleTTL); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("ops: invalid rate limit configuration: %w", err)
	}
	return nil
}

func validateClass(name string, limit Limit, idleTTL time.Duration) error {
	switch {
	case name == "":
		return errors.New(`class "" is configured, but the empty class means "not limited"`)
	case !(limit.PerSecond > 0) || math.IsInf(limit.PerSecond, 0):
		return fmt.Errorf("class %q: PerSecond must be a positive finite number, not %g", name, limit.PerSecond)
	case limit.Burst < 1:
		return fmt.Errorf("class %q: Burst must be at least 1, not %d", name, limit.Burst)
	case limit.refillTime() > idleTTL:
		return fmt.Errorf("class %q: IdleTTL %s is shorter than the %s its bucket needs to refill; raise IdleTTL",
			name, idleTTL, limit.refillTime())
	}
	return nil
}
