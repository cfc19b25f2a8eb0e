package audit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/projections/audit"
	"github.com/certledger/certledger/projections/audit/audittest"
)

// applyBatches applies leaves in transactions of batch events, as the runner does.
func applyBatches(b *testing.B, pool *pgxpool.Pool, leaves []events.Envelope, batch int) {
	b.Helper()
	ctx := context.Background()
	p := audit.New()
	for start := 0; start < len(leaves); start += batch {
		require.NoError(b, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SET LOCAL search_path = rm_audit"); err != nil {
				return err
			}
			return p.ApplyBatch(ctx, tx, leaves[start:min(start+batch, len(leaves))])
		}))
	}
}

// BenchmarkProject applies 100,000 leaves to an empty tree, in the runner's catch-up batches
// (500) and rebuild chunks (5,000); s/1M_leaves extrapolates linearly (the per-leaf cost grows
// only with log n).
func BenchmarkProject(b *testing.B) {
	const leaves = 100_000
	for _, batch := range []int{500, 5000} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			input := audittest.Leaves(0, leaves)
			var spent time.Duration
			for b.Loop() {
				b.StopTimer()
				pool := audittest.EmptySchema(b)
				b.StartTimer()
				start := time.Now()
				applyBatches(b, pool, input, batch)
				spent += time.Since(start)
			}
			perRun := spent.Seconds() / float64(b.N)
			b.ReportMetric(leaves/perRun, "leaves/s")
			b.ReportMetric(perRun*1_000_000/leaves, "s/1M_leaves")
		})
	}
}

// BenchmarkCheckpoint is what ledgerd's checkpointer does for each checkpoint of a tree of a
// million leaves: tree head and last leaf from the read model, signature in SoftHSM, durable
// append to the embedded store.
func BenchmarkCheckpoint(b *testing.B) {
	const size, extra = 1 << 20, 20_000
	pool, _ := audittest.LargeTree(b, size+extra, extra)
	q := audit.NewQueries(pool)
	h, err := commands.NewApplication(eventstore.New(storetest.Client(b, storetest.Start(b))), hsm.KeyStore{HSM: hsmtest.Open(b)},
		commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(b, err)
	ctx := context.Background()
	_, err = h.Queries.AuditKey(ctx)
	require.NoError(b, err)
	n := int64(size)
	for b.Loop() {
		n++
		require.Less(b, n, int64(size+extra), "raise extra")
		root, err := q.TreeHash(ctx, n)
		require.NoError(b, err)
		last, err := q.Leaves(ctx, n-1, n)
		require.NoError(b, err)
		_, err = h.SignCheckpoint.Handle(ctx, commands.SignCheckpoint{Size: n, Root: root, LastPosition: last[0].Position})
		require.NoError(b, err)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/checkpoint")
}

// BenchmarkTreeAdd is what ledgerctl audit verify adds per event for the checkpoints: LeafOf
// (ParseEnvelope of the stored event) and a leaf added to the in-memory tree, whose memory
// stays at its right edge.
func BenchmarkTreeAdd(b *testing.B) {
	meta, _, err := events.Seal("certificate-"+uuid.NewString(), 0, events.Hash{}, events.Proposed{ID: uuid.New(), Type: "CertificateIssued",
		Data: []byte(`{"serial":"01"}`), Metadata: events.Metadata{SchemaVersion: 1, OccurredAt: time.Now().UTC(),
			Actor: events.Actor{Subject: "alice@example.com", Roles: []string{"DEVOPS"}, Team: "web"}}})
	require.NoError(b, err)
	raw := events.Raw{Stream: "certificate-" + uuid.NewString(), ID: uuid.New(), Type: "CertificateIssued",
		Data: []byte(`{"serial":"01"}`), StoredMetadata: meta}
	tree := audit.NewTree()
	for b.Loop() {
		env, ok := audit.LeafOf(raw)
		if !ok {
			b.Fatal("not a leaf")
		}
		if err := tree.Add(env.Hash); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "leaves/s")
}
