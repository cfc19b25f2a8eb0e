package main

import (
	"context"
	"log/slog"
	"time"
)

// sweep is a background job of the read side: every interval, until ctx ends, find lists what
// needs a command and act runs it on each, logging failures and retrying them at the next round.
type sweep[T any] struct {
	interval time.Duration
	find     func(ctx context.Context) ([]T, error)
	act      func(ctx context.Context, item T) error
	done     string // logged with the count when a round acted on something
}

// run runs the sweep until ctx ends.
func (s sweep[T]) run(ctx context.Context, logger *slog.Logger) {
	for {
		items, err := s.find(ctx)
		if err != nil && ctx.Err() == nil {
			logger.Warn("finding what to sweep failed; retrying", "error", err)
		}
		for _, item := range items {
			if err := s.act(ctx, item); err != nil && ctx.Err() == nil {
				logger.Warn("a sweep command failed; retrying at the next round", "item", item, "error", err)
			}
		}
		if len(items) > 0 {
			logger.Info(s.done, "count", len(items))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(s.interval):
		}
	}
}

// guarded runs act only after guard confirmed the sweep's lease still holds.
func guarded[T any](guard func(context.Context) error, act func(context.Context, T) error) func(context.Context, T) error {
	return func(ctx context.Context, item T) error {
		if err := guard(ctx); err != nil {
			return err
		}
		return act(ctx, item)
	}
}
