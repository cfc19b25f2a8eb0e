package acme_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/clienttest"
	"github.com/certledger/certledger/tests/testutil"
)

// benchClients is how many ACME (or REST) clients run at once: 8 goroutines per GOMAXPROCS on
// the benchmark machine's 2 cores.
const benchClients = 16

// challenges is one http-01 server for every concurrent lego client (lego's own binds the port
// per challenge, which concurrent clients cannot share).
type challenges struct{ keyAuths sync.Map }

func (c *challenges) Present(_ context.Context, _, token, keyAuth string) error {
	c.keyAuths.Store(token, keyAuth)
	return nil
}

func (c *challenges) CleanUp(_ context.Context, _, token, _ string) error {
	c.keyAuths.Delete(token)
	return nil
}

func (c *challenges) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ka, ok := c.keyAuths.Load(strings.TrimPrefix(r.URL.Path, "/.well-known/acme-challenge/"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write([]byte(ka.(string)))
}

func serveChallenges(b *testing.B, port int) *challenges {
	b.Helper()
	c := &challenges{}
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	require.NoError(b, err)
	srv := &http.Server{Handler: c, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	b.Cleanup(func() { _ = srv.Close() })
	return c
}

// BenchmarkACMEFullFlow is one certificate per op the way a new lego client gets it: a new
// account, an order, http-01 answered by the in-process challenge server and validated by the
// ledger, finalize through RequestCertificate, download; benchClients clients at once.
func BenchmarkACMEFullFlow(b *testing.B) {
	s := startStack(b)
	ch := serveChallenges(b, s.port)
	runFlows(b, s.directory, s.TLS.Client(), ch)
}

// runFlows runs legoFlow benchClients at once against directory, one certificate per op, and
// reports certificates per second.
func runFlows(b *testing.B, directory string, httpClient *http.Client, ch *challenges) {
	quietLego(b)
	var n atomic.Int64
	b.SetParallelism(max(1, benchClients/runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := legoFlow(directory, httpClient, ch, fmt.Sprintf("b%d.example.com", n.Add(1))); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "certs/s")
}

// BenchmarkRESTIssuance is one certificate per op over POST /api/v1/certificates with a fresh
// P-256 key and CSR, on the same stack, benchClients clients at once: the rate the ACME flow
// is compared with.
func BenchmarkRESTIssuance(b *testing.B) {
	s := startStack(b)
	var n atomic.Int64
	b.SetParallelism(max(1, benchClients/runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			body, _ := json.Marshal(map[string]any{"ca_id": s.caID, "profile": "web", "team": "web",
				"csr": string(testutil.CSR(b, fmt.Sprintf("r%d.example.com", n.Add(1))))})
			req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/v1/certificates", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+clienttest.AdminToken)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				b.Errorf("POST /certificates: %s", resp.Status)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "certs/s")
}
