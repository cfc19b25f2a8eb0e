package rest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api"
	"github.com/certledger/certledger/api/rest"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections/audit"
	"github.com/certledger/certledger/projections/audit/audittest"
)

// BenchmarkInclusionProof asks GET /api/v1/audit/proofs/inclusion/{event} of a tree of a
// million leaves over HTTP (keep-alive), with its static-token authentication: four queries.
func BenchmarkInclusionProof(b *testing.B) {
	const size, rows = 1 << 20, 10_000
	pool, leaves := audittest.LargeTree(b, size, rows)
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
	rest.Register(e, rest.Deps{Auth: tokens, Audit: q})
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
