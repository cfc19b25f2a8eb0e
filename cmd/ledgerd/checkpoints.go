package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/projections/audit"
)

// checkpointPoll is how often the checkpointer looks at the size of the tree; a checkpoint
// that is due because the tree grew by LEDGER_AUDIT_CHECKPOINT_EVERY leaves comes at most this
// much later.
const checkpointPoll = time.Second

// checkpointSigner signs a checkpoint of the tree; *commands.SignCheckpointHandler is one.
type checkpointSigner interface {
	Handle(ctx context.Context, cmd commands.SignCheckpoint) (commands.Result, error)
}

// checkpointer signs checkpoints of the audit read model's tree: every interval while the tree
// has grown, or as soon as it has grown by every leaves, whichever comes first; never while it
// has not grown.
type checkpointer struct {
	tree     *audit.Queries
	signer   checkpointSigner
	interval time.Duration
	every    int64
	log      *slog.Logger
	guard    func(context.Context) error // nil, or tells whether this node still holds the lease

	size int64     // the size of the last checkpoint signed or seen
	at   time.Time // when it was signed
}

// startCheckpoints runs a checkpointer with the read side, once the audit tables exist, until ctx
// ends, on the node holding the checkpointer's lease; stop waits for it. A checkpointer that lost
// its lease signs nothing more; one that signs late is refused by the audit stream anyway (a
// checkpoint must extend the last one: never two roots for one size).
func (rs *readSide) startCheckpoints(ctx context.Context, signer checkpointSigner, interval time.Duration, every int64, logger *slog.Logger) {
	rs.wg.Go(func() {
		if !waitForTables(ctx, rs.pool, "rm_audit.leaves", "rm_audit.hashes", "rm_audit.checkpoints") {
			return
		}
		underLease(ctx, rs.nodes, leaseCheckpoints, func(ctx context.Context, guard func(context.Context) error) {
			c := &checkpointer{tree: rs.audit, signer: signer, interval: interval, every: every, log: logger, guard: guard}
			c.run(ctx)
		})
	})
}

func (c *checkpointer) run(ctx context.Context) {
	poll := min(checkpointPoll, c.interval)
	for {
		if err := c.tick(ctx, time.Now()); err != nil && ctx.Err() == nil {
			c.log.Warn("audit checkpoint failed; trying again", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(poll):
		}
	}
}

// tick signs a checkpoint of the whole tree if one is due at now.
func (c *checkpointer) tick(ctx context.Context, now time.Time) error {
	latest, err := c.tree.LatestCheckpoint(ctx)
	switch {
	case errors.Is(err, audit.ErrNotFound):
	case err != nil:
		return err
	case latest.TreeSize > c.size: // signed before a restart, or by another process
		c.size, c.at = latest.TreeSize, latest.SignedAt
	}
	size, err := c.tree.TreeSize(ctx)
	if err != nil {
		return err
	}
	grown := size - c.size
	if grown <= 0 || (grown < c.every && now.Sub(c.at) < c.interval) {
		return nil
	}
	return c.sign(ctx, size, now)
}

// sign signs the tree of size leaves.
func (c *checkpointer) sign(ctx context.Context, size int64, now time.Time) error {
	root, err := c.tree.TreeHash(ctx, size)
	if err != nil {
		return err
	}
	last, err := c.tree.Leaves(ctx, size-1, size)
	if err != nil {
		return err
	}
	if len(last) != 1 {
		return fmt.Errorf("checkpoint of %d leaves: leaf %d is not in the audit read model", size, size-1)
	}
	if c.guard != nil {
		if err := c.guard(ctx); err != nil {
			return fmt.Errorf("checkpoint of %d leaves: %w", size, err)
		}
	}
	res, err := c.signer.Handle(ctx, commands.SignCheckpoint{Size: size, Root: root, LastPosition: last[0].Position})
	if err != nil {
		return fmt.Errorf("checkpoint of %d leaves: %w", size, err)
	}
	c.size, c.at = size, now
	c.log.Info("audit checkpoint signed", "tree_size", size, "root", root.String(), "revision", res.Head.Next-1)
	return nil
}
