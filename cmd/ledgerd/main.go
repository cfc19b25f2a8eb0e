// Command ledgerd is the certledger server: it runs the HTTP API on top of an EventStoreDB (or the
// embedded event store that speaks its protocol) and the Postgres read models.
//
// This file and its siblings are the only place where the application is wired together.
// Invariants:
//   - `ledgerd store` runs only the embedded event store (store.go); API nodes then point
//     LEDGER_EVENTSTORE_URL at it.
//   - Every singleton job (projections, SIEM sinks, audit checkpointer, sweeps) runs under a
//     lease of the cluster (cluster.go, adapters/postgres/lease), so N nodes run each once.
//   - Without LEDGER_EVENTSTORE_URL, ledgerd starts the embedded store under <DataDir>/eventstore
//     and reaches it through the same EventStoreDB client as an external one.
//   - An unreachable Postgres does not stop start-up; /readyz reports it until it is back.
//   - On SIGINT or SIGTERM, ledgerd stops accepting HTTP requests, ends the event streams, lets
//     in-flight requests finish (bounded by shutdownTimeout), then closes the event store client,
//     the Postgres pool and the embedded store, in that order, and exits 0.
//   - With LEDGER_SIEM_CONFIG, the SIEM forwarder runs beside the read side and, on shutdown,
//     stores every sink's checkpoint before the pool and the client close (siem.go).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/certledger/certledger/api"
	"github.com/certledger/certledger/api/auth"
	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
)

// shutdownTimeout bounds how long in-flight HTTP requests may take after a stop signal.
const shutdownTimeout = 10 * time.Second

func main() {
	args, storeOnly := os.Args[1:], len(os.Args) > 1 && os.Args[1] == storeCommand
	if storeOnly {
		args = args[1:]
	}
	cfg, err := config.Load(args, os.LookupEnv)
	if errors.Is(err, flag.ErrHelp) {
		config.Usage(os.Stdout)
		return
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "ledgerd: %v\n", err)
		os.Exit(2)
	}
	logger, err := newLogger(cfg, os.Stderr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ledgerd: %v\n", err)
		os.Exit(2)
	}
	slog.SetDefault(logger)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if storeOnly {
		err = runStore(ctx, cfg, logger)
	} else {
		err = run(ctx, stop, cfg, logger)
	}
	if err != nil {
		logger.Error("ledgerd failed", "error", err)
		os.Exit(1)
	}
}

// run starts every component, serves until ctx is done, then shuts everything down in order.
// stop is called once ctx is done, so that a second signal ends the process at once.
func run(ctx context.Context, stop func(), cfg config.Config, logger *slog.Logger) (err error) {
	store, err := openEventStore(cfg, logger)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, store.Close()) }()

	pool, err := openPostgres(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer pool.Close()

	nodes, err := openCluster(cfg, pool, logger)
	if err != nil {
		return err
	}
	e, err := api.NewServer(api.Options{
		Logger: logger,
		Checks: []api.Check{eventStoreCheck(store.Store), postgresCheck(pool)},
		Node:   nodes,
	})
	if err != nil {
		return fmt.Errorf("building the HTTP API: %w", err)
	}
	httpOps, err := installOps(cfg, e)
	if err != nil {
		return err
	}
	prices, err := cfg.LoadPrices()
	if err != nil {
		return err
	}
	external, err := cfg.LoadExternalCAs()
	if err != nil {
		return err
	}
	reads, err := openReadSide(pool, store.Store, e, nodes, configView{publicBase: cfg.PublicBase(), prices: prices, external: external,
		renewEvery: cfg.RenewalEvery()}, logger)
	if err != nil {
		return fmt.Errorf("building the read side: %w", err)
	}
	e.Use(clientCertificates(auth.ClientCertificates{Lookup: issuedLookup{reads.queries, reads.fleet}, Role: cfg.MTLSRoleValue()}, logger))
	pkiSvc, err := openPKI(ctx, cfg, e, store.Store, reads, httpOps, logger)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, pkiSvc.Close()) }()
	readCtx, stopReads := context.WithCancel(ctx)
	defer func() {
		stopReads()
		if !reads.stop(logger) {
			store.leaveClientOpen()
		}
	}()
	reads.start(readCtx, pool, pkiSvc.hsm, pkiSvc.sweeps(), logger)
	reads.startCheckpoints(readCtx, pkiSvc.app.SignCheckpoint, cfg.CheckpointInterval(), cfg.CheckpointEvery(), logger.With("component", "checkpoints"))
	stopSIEM, err := startSIEM(readCtx, cfg, store.Store, pool, nodes, httpOps.metrics, logger.With("component", "siem"))
	if err != nil {
		return err
	}
	defer func() {
		if !stopSIEM() {
			store.leaveClientOpen()
		}
	}()
	servers, err := listen(cfg, e, reads, logger)
	if err != nil {
		return err
	}
	served := make(chan error, len(servers))
	for _, s := range servers {
		s.srv.RegisterOnShutdown(pkiSvc.endStreams) // Shutdown cancels no request: end the streams
		go func() { served <- s.serve() }()
	}
	logger.Info("ledgerd started",
		"http", servers[0].url,
		"readyz", servers[0].url+"/readyz",
		"node", nodes.Node(),
		"eventstore", store.Description,
		"database", redactURL(cfg.DatabaseURL),
		"data_dir", cfg.DataDir)

	select {
	case err := <-served:
		return fmt.Errorf("HTTP server stopped: %w", err)
	case <-ctx.Done():
	}
	stop()
	logger.Info("stopping ledgerd", "cause", context.Cause(ctx))

	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	for _, s := range servers {
		if err := s.srv.Shutdown(shutdownCtx); err != nil {
			return fmt.Errorf("shutting down the HTTP server on %s: %w", s.url, err)
		}
	}
	logger.Info("HTTP server stopped")
	return nil
}
