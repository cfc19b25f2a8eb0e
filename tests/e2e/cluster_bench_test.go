package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/tests/testutil"
)

// BenchmarkClusterIssuance issues b.N certificates from 16 clients through 1 or 3 ledgerd nodes
// on one `ledgerd store`, with SIEM forwarding to NATS, on the same cores: the cost of the
// coordination is the difference. It reports issuances per second and the p99 latency.
func BenchmarkClusterIssuance(b *testing.B) {
	for _, nodes := range []int{1, 3} {
		// One cluster per node count, started on the first run and kept for the next ones (the
		// framework runs the function again with a larger b.N).
		var c *cluster
		var caID string
		b.Run(fmt.Sprintf("nodes=%d", nodes), func(rb *testing.B) {
			if c == nil {
				c, caID = benchCluster(b, nodes)
			}
			csrs := make(chan []byte, rb.N)
			for n := range rb.N {
				csrs <- testutil.CSR(rb, fmt.Sprintf("b%d-%s.example.com", n, uuid.NewString()[:8]))
			}
			close(csrs)
			var load loadResult
			rb.ResetTimer()
			start := time.Now()
			c.issueLoad(context.Background(), 16, caID, csrs, &load).Wait()
			elapsed := time.Since(start)
			rb.StopTimer()
			require.Len(rb, load.acknowledged(), rb.N, "every issuance acknowledged")
			p99, _ := load.percentile(0.99, start, start.Add(elapsed+time.Second))
			rb.ReportMetric(float64(rb.N)/elapsed.Seconds(), "issuances/s")
			rb.ReportMetric(float64(p99.Milliseconds()), "p99-ms")
		})
	}
}

// benchCluster starts a store and n nodes forwarding to NATS, with a CA and a profile, until the
// benchmark ends.
func benchCluster(b *testing.B, n int) (*cluster, string) {
	siemConfig := filepath.Join(b.TempDir(), "siem.json")
	require.NoError(b, os.WriteFile(siemConfig, fmt.Appendf(nil,
		`{"sinks":[{"name":"nats","kind":"nats","url":"nats://127.0.0.1:4222","subject":"bench.%s","stream":"BENCH_%s"}]}`,
		uuid.NewString()[:8], uuid.NewString()[:8]), 0o600))
	c := startCluster(b, n, pgtest.NewDatabaseURL(b), "LEDGER_SIEM_CONFIG="+siemConfig)
	client := &http.Client{Timeout: 10 * time.Second}
	_, ca, err := c.postKeyed(client, 0, "/api/v1/cas", map[string]any{"name": "Root", "common_name": "Bench Root", "key_algorithm": "ecdsa-p256"}, "")
	require.NoError(b, err)
	_, _, err = c.postKeyed(client, 0, "/api/v1/profiles", map[string]any{"name": "web", "allowed_domains": []string{"example.com"},
		"key_types": []string{"ecdsa-p256"}, "max_validity_days": 90}, "")
	require.NoError(b, err)
	return c, ca["id"].(string)
}
