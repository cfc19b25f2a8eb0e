package main

import (
	"context"
	"fmt"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/ops"
	"github.com/certledger/certledger/api/rest"
	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
	"github.com/certledger/certledger/projections"
)

// httpOps is the operational side of the HTTP server: request ids, security headers, metrics
// and the per-principal rate limits of the REST routes.
type httpOps struct {
	metrics *ops.Metrics
	limiter *ops.RateLimiter
}

// installOps puts request ids, security headers and request metrics on every route of e.
func installOps(cfg config.Config, e *echo.Echo) (*httpOps, error) {
	read, write := cfg.Rates()
	limits := map[string]ops.Limit{}
	for _, a := range []rest.Access{rest.Public, rest.Read, rest.Self, rest.AgentSelf} {
		limits[string(a)] = ops.Limit{PerSecond: read, Burst: int(2*read) + 1}
	}
	for _, a := range []rest.Access{rest.Request, rest.Approve, rest.Administer} {
		limits[string(a)] = ops.Limit{PerSecond: write, Burst: int(2*write) + 1}
	}
	limiter, err := ops.NewRateLimiter(ops.RateLimitConfig{Classes: limits, Key: rest.RateKey})
	if err != nil {
		return nil, fmt.Errorf("rate limits: %w", err)
	}
	m := ops.NewMetrics()
	e.Use(ops.RequestID(), ops.SecurityHeaders(ops.SecurityOptions{HSTS: true}), m.Middleware())
	return &httpOps{metrics: m, limiter: limiter}, nil
}

// serveMetrics serves /metrics to authenticated callers with read access, projection lag
// included.
func (o *httpOps) serveMetrics(e *echo.Echo, auth rest.Authenticator, runner *projections.Runner) error {
	err := o.metrics.ObserveProjectionLag(func(ctx context.Context) (map[string]float64, error) {
		statuses, err := runner.Status(ctx)
		if err != nil {
			return nil, err
		}
		lag := make(map[string]float64, len(statuses))
		for _, s := range statuses {
			lag[s.Name] = float64(s.Lag)
		}
		return lag, nil
	})
	if err != nil {
		return err
	}
	e.GET("/metrics", echo.WrapHandler(o.metrics.Handler()), rest.Protect(auth, rest.Read)...)
	return nil
}
