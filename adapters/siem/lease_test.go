package siem_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/postgres/lease"
	"github.com/certledger/certledger/adapters/siem"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/infra/migrations"
)

// TestASinkForwardsOnOneNodeAndMovesWhenItsLeaseIsLost runs the forwarders of two nodes on one
// sink under leases. Only the holder forwards; when its lease expires under it, the other node
// takes over from the checkpoint: every event reaches the sink, and the checkpoint's fencing
// token only grows in what was written.
func TestASinkForwardsOnOneNodeAndMovesWhenItsLeaseIsLost(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	require.NoError(t, migrations.Migrate(ctx, e.pool))
	_, err := e.pool.Exec(ctx, `CREATE TABLE fence_log (seq bigserial PRIMARY KEY, fence bigint, position bigint);
		CREATE FUNCTION log_fence() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN INSERT INTO fence_log (fence, position) VALUES (NEW.fence, NEW.position); RETURN NEW; END $$`)
	require.NoError(t, err)
	dir := t.TempDir()
	// a waits 30 s before it tries again to take a lease it lost, so that the takeover is b's
	// however the two cores are shared; b polls every 50 ms.
	node := func(id string, poll time.Duration) *siem.Forwarder {
		m, err := lease.New(e.pool, lease.Config{Node: id, TTL: 900 * time.Millisecond, Renew: 200 * time.Millisecond,
			Poll: poll})
		require.NoError(t, err)
		cfg := config(t, fmt.Sprintf(`{"sinks":[{"name":"archive","kind":"file","path":%q}]}`, filepath.Join(dir, id+".jsonl")))
		f, err := siem.New(cfg, siem.Options{Source: e.store, Pool: e.pool, Registry: prometheus.NewRegistry(),
			Logger: testLogger(t), PoisonDir: t.TempDir(), Leases: lease.SIEM(m), CheckpointInterval: 20 * time.Millisecond})
		require.NoError(t, err)
		e.run(t, f)
		return f
	}
	a := node("a", 30*time.Second)
	e.appendEvents(t, uniform(100, events.CategoryCertificate, "CertificateIssued", 2), 1, 0)
	waitFor(t, 30*time.Second, "a to forward", func() bool { return caughtUp(t, a, "archive") })
	_, err = e.pool.Exec(ctx, `CREATE TRIGGER log_fence AFTER INSERT OR UPDATE ON siem_checkpoints
		FOR EACH ROW EXECUTE FUNCTION log_fence()`)
	require.NoError(t, err)
	b := node("b", 50*time.Millisecond)
	time.Sleep(time.Second)
	assert.Empty(t, fileLinesOr(t, filepath.Join(dir, "b.jsonl")), "b stands by while a holds the lease")

	_, err = e.pool.Exec(ctx, "UPDATE cluster_leases SET expires_at = now() - interval '1 second'")
	require.NoError(t, err)
	e.appendEvents(t, uniform(100, events.CategoryCA, "CARootCreated", 2), 1, 5*time.Millisecond)
	want := e.ledgerEvents(t, nil)
	waitFor(t, 30*time.Second, "b to catch up", func() bool { return caughtUp(t, b, "archive") })

	seen := map[string]int{}
	for _, id := range []string{"a", "b"} {
		for _, line := range fileLinesOr(t, filepath.Join(dir, id+".jsonl")) {
			ce, _ := cloudEvent(t, line)
			seen[ce.ID]++
		}
	}
	for id := range want {
		assert.Positive(t, seen[id], "event %s reached the sink", id)
	}
	assert.NotEmpty(t, fileLinesOr(t, filepath.Join(dir, "b.jsonl")), "b forwarded after the takeover")

	rows, err := e.pool.Query(ctx, "SELECT fence, position FROM fence_log ORDER BY seq")
	require.NoError(t, err)
	var fences, positions []int64
	for rows.Next() {
		var f, p int64
		require.NoError(t, rows.Scan(&f, &p))
		fences, positions = append(fences, f), append(positions, p)
	}
	require.NoError(t, rows.Err())
	require.NotEmpty(t, fences)
	assert.IsNonDecreasing(t, fences, "no checkpoint written under an older token after a newer one")
	assert.Greater(t, fences[len(fences)-1], int64(1), "b wrote under a newer token")
}

// fileLinesOr is fileLines, or nothing when the file does not exist.
func fileLinesOr(t *testing.T, path string) [][]byte {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return fileLines(t, path)
}
