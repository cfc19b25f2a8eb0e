package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/certledger/certledger/adapters/certinstall"
	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/api/wire"
)

// Timing of the agent's conversation with the ledger.
const (
	pollWait   = 25 * time.Second // how long one task poll waits for a change
	minBackoff = 250 * time.Millisecond
	maxBackoff = 15 * time.Second
)

// agent is a running ledger-agent.
type agent struct {
	cfg    Config
	api    *client.Client
	inst   certinstall.Installer
	log    *slog.Logger
	state  atomic.Value // "idle" or "deploying", read by the heartbeats
	verify verifier
	// ended are the deployments this process reported ended, which a lagging read model may
	// still list as tasks for a moment.
	ended map[string]bool
}

// serve runs the agent until ctx ends.
func serve(ctx context.Context, configPath string, logTo io.Writer) error {
	cfg, err := loadConfig(configPath)
	if err != nil {
		return err
	}
	identity, err := tls.LoadX509KeyPair(filepath.Join(cfg.Dir, certFile), filepath.Join(cfg.Dir, keyFile))
	if err != nil {
		return fmt.Errorf("the agent's identity (run ledger-agent enroll first): %w", err)
	}
	hc, err := httpClient(cfg.CAFile, &identity, pollWait+15*time.Second)
	if err != nil {
		return err
	}
	state := filepath.Join(cfg.Dir, "state")
	if err := os.MkdirAll(filepath.Join(state, "keys"), 0o700); err != nil {
		return err
	}
	a := &agent{cfg: cfg, api: client.New(cfg.URL, "", client.WithHTTPClient(hc), client.WithUserAgent("ledger-agent/"+version)),
		inst: certinstall.Installer{Roots: cfg.AllowedRoots, StateDir: state}, log: slog.New(slog.NewTextHandler(logTo, nil)),
		verify: tlsVerifier{}, ended: map[string]bool{}}
	a.state.Store("idle")
	if err := a.recover(ctx); err != nil {
		return err
	}
	go a.heartbeats(ctx)
	return a.poll(ctx)
}

// recover rolls back the deployments a crash left half done and reports each failed, once:
// a report the ledger already has (409) counts as made.
func (a *agent) recover(ctx context.Context) error {
	ids, err := a.inst.Recover()
	if err != nil {
		return fmt.Errorf("recovering interrupted deployments: %w", err)
	}
	for _, id := range ids {
		a.log.Warn("rolled back a deployment a crash interrupted", "deployment", id)
		a.runHookAfterRollback(ctx, id)
		for attempt := 0; ; attempt++ {
			err := a.report(ctx, id, wire.DeploymentReport{Reason: "the agent stopped during the deployment; rolled back", RolledBack: true})
			if err == nil {
				break
			}
			if err := sleep(ctx, backoff(attempt)); err != nil {
				return err
			}
		}
		a.forgetKey(id)
	}
	return nil
}

// poll long-polls the agent's tasks from a position and works through them one at a time.
func (a *agent) poll(ctx context.Context) error {
	var after int64
	for attempt := 0; ; {
		tasks, err := a.api.AgentTasks(ctx, after, pollWait)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			a.log.Warn("task poll failed; backing off", "error", err, "attempt", attempt)
			if err := sleep(ctx, backoff(attempt)); err != nil {
				return err
			}
			attempt++
			continue
		}
		attempt, after = 0, tasks.Position
		for _, t := range tasks.Items {
			if a.ended[t.ID] {
				continue
			}
			a.state.Store("deploying")
			a.deploy(ctx, t)
			a.state.Store("idle")
		}
	}
}

func (a *agent) heartbeats(ctx context.Context) {
	tick := time.NewTicker(time.Duration(a.cfg.Heartbeat))
	defer tick.Stop()
	for {
		if err := a.api.Heartbeat(ctx, wire.Heartbeat{Host: a.cfg.Host, Version: version, State: a.state.Load().(string)}); err != nil && ctx.Err() == nil {
			a.log.Warn("heartbeat failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// report tells the ledger how a deployment ended; a 409 (it has ended already) is no error.
func (a *agent) report(ctx context.Context, id string, r wire.DeploymentReport) error {
	err := a.api.ReportDeployment(ctx, id, r)
	var ae *client.Error
	if errors.As(err, &ae) && ae.Status == 409 {
		return nil
	}
	return err
}

// backoff is the pause after the n-th failure in a row: doubling from minBackoff to maxBackoff.
func backoff(n int) time.Duration {
	d := minBackoff << min(n, 10)
	return min(d, maxBackoff)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
