package audit_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/api"
	"github.com/certledger/certledger/api/rest"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/projections/audit"
)

// benchSchema makes an empty rm_audit in a fresh database.
func benchSchema(b *testing.B) *pgxpool.Pool {
	b.Helper()
	pool := pgtest.NewDatabase(b)
	ctx := context.Background()
	require.NoError(b, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "CREATE SCHEMA rm_audit; SET LOCAL search_path = rm_audit"); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, audit.New().Schema())
		return err
	}))
	return pool
}

// syntheticLeaves returns n ledger events with random chain hashes, from leaf index first on.
func syntheticLeaves(first, n int) []events.Envelope {
	out := make([]events.Envelope, n)
	for i := range out {
		var h events.Hash
		_, _ = rand.Read(h[:])
		out[i] = events.Envelope{ID: uuid.New(), Stream: "certificate-" + uuid.NewString(), Revision: 0, Hash: h,
			Position: uint64(first + i + 1)}
	}
	return out
}

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
			input := syntheticLeaves(0, leaves)
			var spent time.Duration
			for b.Loop() {
				b.StopTimer()
				pool := benchSchema(b)
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

// largeTree fills rm_audit with the stored hashes of a tree of size leaves, computed in memory
// and copied in, and with leaf rows for the last rows leaves.
func largeTree(b *testing.B, size, rows int) (*pgxpool.Pool, []events.Envelope) {
	b.Helper()
	pool := benchSchema(b)
	leaves := syntheticLeaves(0, size)
	var stored memoryLog
	for n, l := range leaves {
		hashes, err := tlog.StoredHashes(int64(n), l.Hash[:], stored)
		require.NoError(b, err)
		stored = append(stored, hashes...)
	}
	ctx := context.Background()
	_, err := pool.CopyFrom(ctx, pgx.Identifier{"rm_audit", "hashes"}, []string{"idx", "hash"},
		pgx.CopyFromSlice(len(stored), func(i int) ([]any, error) { return []any{int64(i), stored[i][:]}, nil }))
	require.NoError(b, err)
	tail := leaves[size-rows:]
	_, err = pool.CopyFrom(ctx, pgx.Identifier{"rm_audit", "leaves"}, []string{"idx", "position", "event_id", "stream", "revision", "event_hash"},
		pgx.CopyFromSlice(len(tail), func(i int) ([]any, error) {
			l := tail[i]
			return []any{int64(size - rows + i), int64(l.Position), [16]byte(l.ID), l.Stream, int64(0), l.Hash[:]}, nil
		}))
	require.NoError(b, err)
	return pool, leaves
}

// BenchmarkCheckpoint is what ledgerd's checkpointer does for each checkpoint of a tree of a
// million leaves: tree head and last leaf from the read model, signature in SoftHSM, durable
// append to the embedded store.
func BenchmarkCheckpoint(b *testing.B) {
	const size, extra = 1 << 20, 20_000
	pool, _ := largeTree(b, size+extra, extra)
	q := audit.NewQueries(pool)
	h, err := commands.NewHandlers(eventstore.New(storetest.Client(b, storetest.Start(b))), hsm.KeyStore{HSM: hsmtest.Open(b)},
		commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(b, err)
	ctx := context.Background()
	_, err = h.AuditKey(ctx)
	require.NoError(b, err)
	n := int64(size)
	for b.Loop() {
		n++
		require.Less(b, n, int64(size+extra), "raise extra")
		root, err := q.TreeHash(ctx, n)
		require.NoError(b, err)
		last, err := q.Leaves(ctx, n-1, n)
		require.NoError(b, err)
		_, err = h.SignCheckpoint(ctx, n, root, last[0].Position)
		require.NoError(b, err)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/checkpoint")
}

// BenchmarkInclusionProof asks GET /api/v1/audit/proofs/inclusion/{event} of a tree of a
// million leaves over HTTP (keep-alive), with its static-token authentication: four queries.
func BenchmarkInclusionProof(b *testing.B) {
	const size, rows = 1 << 20, 10_000
	pool, leaves := largeTree(b, size, rows)
	ctx := context.Background()
	q := audit.NewQueries(pool)
	root, err := q.TreeHash(ctx, size)
	require.NoError(b, err)
	_, err = pool.Exec(ctx, `INSERT INTO rm_audit.checkpoints VALUES ($1, $2, $3, now(), 'k', $4, 'note', '\x00', 0, 1)`,
		int64(size), root[:], int64(leaves[size-1].Position), domain.CheckpointAlgorithm)
	require.NoError(b, err)
	e, err := api.NewServer(api.Options{})
	require.NoError(b, err)
	tokens := rest.NewStaticTokens()
	tokens.Add("viewer", domain.Actor{Subject: "viewer", Roles: []domain.Role{domain.RoleViewer}})
	rest.Register(e, rest.Deps{Auth: tokens, Audit: rest.AuditService{Queries: q}})
	srv := httptest.NewServer(e)
	b.Cleanup(srv.Close)

	i := 0
	for b.Loop() {
		l := leaves[size-rows+i%rows]
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/audit/proofs/inclusion/"+l.ID.String(), nil)
		req.Header.Set("Authorization", "Bearer viewer")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(b, err)
		_ = resp.Body.Close()
		require.Equal(b, http.StatusOK, resp.StatusCode)
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/proof")
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
