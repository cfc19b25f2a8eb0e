package e2e_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/infra/migrations"
)

// logFences migrates the database and records, in commit order, every write of a projection's
// or a SIEM sink's checkpoint with the fencing token it was written under.
func logFences(t *testing.T, db *pgxpool.Pool) {
	ctx := context.Background()
	require.NoError(t, migrations.Migrate(ctx, db))
	_, err := db.Exec(ctx, `
		CREATE TABLE IF NOT EXISTS siem_checkpoints (sink text PRIMARY KEY, position bigint NOT NULL,
			updated_at timestamptz NOT NULL DEFAULT now(), fence bigint NOT NULL DEFAULT 0);
		CREATE TABLE fence_log (seq bigserial PRIMARY KEY, job text, fence bigint, position bigint);
		CREATE FUNCTION log_projection_fence() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
			INSERT INTO fence_log (job, fence, position) VALUES ('projection/' || NEW.name, NEW.fence, NEW.position); RETURN NEW; END $$;
		CREATE FUNCTION log_siem_fence() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
			INSERT INTO fence_log (job, fence, position) VALUES ('siem/' || NEW.sink, NEW.fence, NEW.position); RETURN NEW; END $$;
		CREATE TRIGGER log_fence AFTER INSERT OR UPDATE ON projection_checkpoints FOR EACH ROW EXECUTE FUNCTION log_projection_fence();
		CREATE TRIGGER log_fence AFTER INSERT OR UPDATE ON siem_checkpoints FOR EACH ROW EXECUTE FUNCTION log_siem_fence();`)
	require.NoError(t, err)
}

// assertFencesGrow checks that each job's checkpoints were written under tokens that never went
// down, and that some job changed hands (the kill moved leases).
func assertFencesGrow(t *testing.T, db *pgxpool.Pool) {
	rows, err := db.Query(context.Background(), "SELECT job, fence FROM fence_log WHERE fence > 0 ORDER BY seq")
	require.NoError(t, err)
	byJob := map[string][]int64{}
	for rows.Next() {
		var job string
		var fence int64
		require.NoError(t, rows.Scan(&job, &fence))
		byJob[job] = append(byJob[job], fence)
	}
	require.NoError(t, rows.Err())
	require.Contains(t, byJob, "projection/pki")
	require.Contains(t, byJob, "siem/nats")
	moved := 0
	for job, fences := range byJob {
		assert.True(t, slices.IsSorted(fences), "%s wrote under fencing tokens that went down: %v", job, fences)
		if fences[0] != fences[len(fences)-1] {
			moved++
		}
	}
	assert.Positive(t, moved, "some job changed hands after the kill")
}

// busiest returns the node holding the most leases, by its /readyz, and their names.
func (c *cluster) busiest(t *testing.T) (int, []string) {
	best, names := -1, []string(nil)
	for i := range c.nodes {
		r, ok := c.readiness(i)
		if ok && len(r.Leases) > len(names) {
			best, names = i, nil
			for name := range r.Leases {
				names = append(names, name)
			}
		}
	}
	require.GreaterOrEqual(t, best, 0, "no node holds a lease")
	return best, names
}

// heldByOthers tells whether every lease in names is live and held by a node other than dead.
func (c *cluster) heldByOthers(t *testing.T, db *pgxpool.Pool, dead string, names []string) bool {
	var n int
	require.NoError(t, db.QueryRow(context.Background(), `SELECT count(*) FROM cluster_leases
		WHERE name = ANY($1) AND holder <> $2 AND expires_at > clock_timestamp()`, names, dead).Scan(&n))
	return n == len(names)
}

// storeEvents reads the ledger events of $all, in order and by id.
func storeEvents(t *testing.T, url string) ([]events.Envelope, map[string]bool) {
	store, err := eventstore.Connect(url)
	require.NoError(t, err)
	defer store.Close()
	var out []events.Envelope
	ids := map[string]bool{}
	for raw, err := range store.ReadAll(context.Background(), 0) {
		require.NoError(t, err)
		if env, err := events.ParseEnvelope(raw); err == nil {
			out = append(out, env)
			ids[env.ID.String()] = true
		}
	}
	return out, ids
}

// keys returns the keys of a set.
func keys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	return out
}
