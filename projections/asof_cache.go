package projections

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// AsOfCache answers read models as of a past moment from point-in-time replays (ReplayAsOf)
// of some projections, one schema per moment, made on demand in the background and kept for
// later questions about the same moment; the oldest of more than Keep is dropped.
//
// Invariants: one replay per moment runs at a time in a process (and, by ReplayAsOf's lock,
// in the database); a moment is answered only once its replay finished (replay_info written);
// a failed replay is forgotten, so the next question starts it again. The schemas are named
// prefix_<hash of the moment>, so a process that restarts replays a moment into the schema an
// earlier one left, replacing it.
type AsOfCache struct {
	runner *Runner
	prefix string
	names  []string
	keep   int
	ctx    context.Context // the replays' context: they outlive the request that started them

	mu      sync.Mutex
	entries map[string]*asOfEntry
	order   []string // finished moments, oldest question first
}

type asOfEntry struct {
	done     chan struct{}
	replayed Replayed
	err      error
	reached  atomic.Uint64
	total    atomic.Uint64
}

// AsOfState is how far the replay of a moment is.
type AsOfState struct {
	// Ready is set once the replay finished; Replayed is then what it wrote.
	Ready    bool
	Replayed Replayed
	// Done and Total are the replay's progress while it runs, in events of its passes.
	Done, Total uint64
}

// NewAsOfCache keeps up to keep replays of the named projections in schemas named
// prefix_<hash>; replays run on ctx, so that cancelling it stops them.
func NewAsOfCache(ctx context.Context, r *Runner, prefix string, names []string, keep int) *AsOfCache {
	return &AsOfCache{runner: r, prefix: prefix, names: names, keep: max(keep, 1), ctx: ctx, entries: map[string]*asOfEntry{}}
}

// Get returns the replay of the moment at, starting it if no replay of it is cached or
// running, and waits up to wait for it to finish: a state that is not Ready tells the
// progress. A replay's error is returned once, to the questions waiting for it.
func (c *AsOfCache) Get(ctx context.Context, at AsOf, wait time.Duration) (AsOfState, error) {
	key := at.String()
	c.mu.Lock()
	e, ok := c.entries[key]
	if !ok {
		e = &asOfEntry{done: make(chan struct{})}
		c.entries[key] = e
		go c.replay(key, at, e)
	}
	c.mu.Unlock()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-e.done:
	case <-timer.C:
		return AsOfState{Done: e.reached.Load(), Total: e.total.Load()}, nil
	case <-ctx.Done():
		return AsOfState{}, ctx.Err()
	}
	if e.err != nil {
		return AsOfState{}, e.err
	}
	c.touch(key)
	return AsOfState{Ready: true, Replayed: e.replayed, Done: e.replayed.Events, Total: e.replayed.Events}, nil
}

// SchemaOf is the schema a moment is replayed into.
func (c *AsOfCache) SchemaOf(at AsOf) string {
	sum := sha256.Sum256([]byte(at.String()))
	return c.prefix + "_" + hex.EncodeToString(sum[:8])
}

func (c *AsOfCache) replay(key string, at AsOf, e *asOfEntry) {
	progress := func(done, total uint64, _ float64) { e.reached.Store(done); e.total.Store(total) }
	e.replayed, e.err = c.runner.ReplayAsOf(c.ctx, c.names, at, c.SchemaOf(at), progress, ReplaceSchema())
	c.mu.Lock()
	if e.err != nil {
		delete(c.entries, key)
	} else {
		c.order = append(c.order, key)
	}
	evicted := c.evictLocked()
	c.mu.Unlock()
	for _, schema := range evicted { // before the answer: a caller sees the cache as it keeps it
		if err := c.runner.DropReplay(c.ctx, schema); err != nil {
			c.runner.cfg.logger.Warn("did not drop an old point-in-time replay", "schema", schema, "error", err)
		}
	}
	close(e.done)
}

// touch makes key the newest question.
func (c *AsOfCache) touch(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, k := range c.order {
		if k == key {
			c.order = append(append(c.order[:i:i], c.order[i+1:]...), key)
			return
		}
	}
}

// evictLocked forgets the oldest finished replays beyond keep and returns their schemas.
func (c *AsOfCache) evictLocked() []string {
	var schemas []string
	for len(c.order) > c.keep {
		key := c.order[0]
		c.order = c.order[1:]
		schemas = append(schemas, c.entries[key].replayed.Schema)
		delete(c.entries, key)
	}
	return schemas
}

// DropReplay drops a schema a point-in-time replay made; it refuses any other schema.
func (r *Runner) DropReplay(ctx context.Context, schema string) error {
	if err := CheckReplaySchema(schema); err != nil {
		return err
	}
	var comment *string
	if err := r.pool.QueryRow(ctx, "SELECT obj_description(to_regnamespace($1), 'pg_namespace')", schema).Scan(&comment); err != nil {
		return fmt.Errorf("drop replay %s: %w", schema, err)
	}
	if comment == nil || !strings.HasPrefix(*comment, replayMark) {
		return fmt.Errorf("drop replay %s: %w and no replay made it", schema, ErrReplaySchemaExists)
	}
	_, err := r.pool.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
	return err
}
