package api

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// DefaultCheckTimeout is how long one readiness check may take when Options.CheckTimeout is zero.
const DefaultCheckTimeout = 2 * time.Second

// Options configures the HTTP server built by NewServer.
type Options struct {
	// Logger receives request and error logs; nil means slog.Default().
	Logger *slog.Logger
	// Checks are the readiness checks behind /readyz; their names must be distinct and non-empty.
	Checks []Check
	// CheckTimeout bounds each readiness check; zero means DefaultCheckTimeout.
	CheckTimeout time.Duration
	// Node, when set, tells /readyz which cluster node this is and which leases it holds.
	Node NodeInfo
}

// NodeInfo is this process as a node of the cluster; *lease.Manager is one.
type NodeInfo interface {
	// Node is the node's id.
	Node() string
	// Held maps the name of each lease the node holds to its fencing token.
	Held() map[string]int64
}

// NewServer returns an echo instance serving /healthz and /readyz, with panic recovery, request
// logging and problem+json errors installed. Callers may add routes to it before serving.
func NewServer(opts Options) (*echo.Echo, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.CheckTimeout < 0 {
		return nil, fmt.Errorf("api: negative check timeout %s", opts.CheckTimeout)
	}
	if opts.CheckTimeout == 0 {
		opts.CheckTimeout = DefaultCheckTimeout
	}
	if err := validateChecks(opts.Checks); err != nil {
		return nil, err
	}

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = problemHandler(opts.Logger)
	e.Use(requestLogger(opts.Logger))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			opts.Logger.Error("panic in HTTP handler",
				"method", c.Request().Method, "path", c.Request().URL.Path,
				"panic", err.Error(), "stack", string(stack))
			return err
		},
	}))

	h := &health{checks: opts.Checks, timeout: opts.CheckTimeout, node: opts.Node}
	e.GET("/healthz", h.healthz)
	e.GET("/readyz", h.readyz)
	return e, nil
}

// validateChecks rejects nil checks and empty or duplicate names, which would hide a check.
func validateChecks(checks []Check) error {
	seen := make(map[string]bool, len(checks))
	for i, c := range checks {
		if c == nil {
			return fmt.Errorf("api: readiness check %d is nil", i)
		}
		name := c.Name()
		if name == "" {
			return errors.New("api: readiness check with an empty name")
		}
		if seen[name] {
			return fmt.Errorf("api: two readiness checks named %q", name)
		}
		seen[name] = true
	}
	return nil
}

// requestLogger logs every request: server errors at warn level, everything else at debug.
func requestLogger(logger *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogMethod:  true,
		LogURIPath: true,
		LogStatus:  true,
		LogLatency: true,
		LogError:   true,
		// Let the problem handler write the response first, so the logged status is the one sent.
		HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelDebug
			if v.Status >= 500 {
				level = slog.LevelWarn
			}
			attrs := []slog.Attr{
				slog.String("method", v.Method),
				slog.String("path", v.URIPath),
				slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency),
			}
			if id := c.Response().Header().Get(echo.HeaderXRequestID); id != "" {
				attrs = append(attrs, slog.String("request_id", id))
			}
			if v.Error != nil {
				attrs = append(attrs, slog.String("error", v.Error.Error()))
			}
			logger.LogAttrs(c.Request().Context(), level, "http request", attrs...)
			return nil
		},
	})
}
