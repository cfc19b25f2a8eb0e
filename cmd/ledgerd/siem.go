package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/postgres/lease"
	"github.com/certledger/certledger/adapters/siem"
	"github.com/certledger/certledger/api/ops"
	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
)

// siemStopTimeout bounds how long shutdown waits for the SIEM forwarder: the deliveries in flight
// (up to 10 s) and the final checkpoints (up to 5 s).
const siemStopTimeout = 16 * time.Second

// startSIEM starts the SIEM forwarder when LEDGER_SIEM_CONFIG names a configuration, with its
// metrics in the ops registry and the poisoned events of webhook sinks under <data-dir>/siem. It
// runs until ctx ends or stop is called, each sink on the node holding its lease; stop waits for it to store its final checkpoints and
// tells whether it stopped in time. Without a configuration nothing runs and stop returns true.
func startSIEM(ctx context.Context, cfg config.Config, store *eventstore.Store, pool *pgxpool.Pool, nodes *lease.Manager,
	metrics *ops.Metrics, logger *slog.Logger) (stop func() bool, err error) {
	siemCfg, ok, err := cfg.LoadSIEM()
	if err != nil {
		return nil, err
	}
	if !ok {
		return func() bool { return true }, nil
	}
	f, err := siem.New(siemCfg, siem.Options{Source: store, Pool: pool, Registry: metrics.Registry(),
		Logger: logger, PoisonDir: filepath.Join(cfg.DataDir, "siem"), Leases: lease.SIEM(nodes)})
	if err != nil {
		return nil, fmt.Errorf("SIEM forwarder: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := f.Run(ctx); err != nil {
			logger.Error("SIEM forwarder stopped", "error", err)
		}
	}()
	names := make([]string, len(siemCfg.Sinks))
	for i, s := range siemCfg.Sinks {
		names[i] = s.Name + " (" + s.Kind + ")"
	}
	logger.Info("SIEM forwarder started", "config", cfg.SIEMConfig, "source", siemCfg.Source, "sinks", names)
	return func() bool {
		cancel()
		select {
		case <-done:
			return true
		case <-time.After(siemStopTimeout):
			logger.Warn("SIEM forwarder did not stop in time; leaving it", "timeout", siemStopTimeout)
			return false
		}
	}, nil
}
