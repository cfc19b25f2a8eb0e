package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
	"github.com/certledger/certledger/infra/embeddedstore"
)

// storeCommand is the subcommand that runs only the event store: `ledgerd store [flags]`.
const storeCommand = "store"

// runStore runs the embedded EventStoreDB-protocol store alone, under <data-dir>/eventstore on
// -eventstore-addr, until ctx ends — the store process of a deployment with one store and many
// API nodes (each started with LEDGER_EVENTSTORE_URL=esdb://<addr>?tls=false). It takes the
// same configuration as ledgerd and uses only the data dir, the store's address and the logging.
func runStore(ctx context.Context, cfg config.Config, logger *slog.Logger) error {
	dir := filepath.Join(cfg.DataDir, "eventstore")
	srv, err := embeddedstore.Start(embeddedstore.Config{Dir: dir, Addr: cfg.EventStoreAddr,
		Logger: logger.With("component", "embeddedstore")})
	if err != nil {
		return fmt.Errorf("starting the event store in %s on %s: %w", dir, cfg.EventStoreAddr, err)
	}
	logger.Info("event store started", "url", srv.URL(), "data_dir", dir)
	<-ctx.Done()
	logger.Info("stopping the event store", "cause", context.Cause(ctx))
	return srv.Close()
}
