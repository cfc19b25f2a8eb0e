package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/certledger/certledger/api"
	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
)

// startupPingTimeout bounds the start-up probe of Postgres.
const startupPingTimeout = 3 * time.Second

// openPostgres creates the read-model pool. The pool connects lazily, so an unreachable Postgres
// is only logged here: ledgerd keeps running and /readyz reports it.
func openPostgres(ctx context.Context, cfg config.Config, logger *slog.Logger) (*pgxpool.Pool, error) {
	pool, err := pgxpool.New(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("creating the Postgres pool for %s: %w", redactURL(cfg.DatabaseURL), err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, startupPingTimeout)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		logger.Warn("Postgres is not reachable: ledgerd serves without read models until it is, and /readyz names it; "+
			"start Postgres (Debian: pg_ctlcluster 15 main start) or point DATABASE_URL (-database-url) at one",
			"database", redactURL(cfg.DatabaseURL), "error", err)
	}
	return pool, nil
}

// postgresCheck is ready when a connection from the pool answers a ping.
func postgresCheck(pool *pgxpool.Pool) api.Check {
	return api.CheckFunc{CheckName: "postgres", Func: func(ctx context.Context) error {
		if err := pool.Ping(ctx); err != nil {
			return fmt.Errorf("pinging Postgres: %w", err)
		}
		return nil
	}}
}
