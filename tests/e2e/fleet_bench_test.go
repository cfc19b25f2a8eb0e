package e2e_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/domain"
)

// simAgent is an in-process agent: its own key, client certificate and TLS connection to the
// ledgerd process, long-polling its tasks and answering each with a CSR and a success report
// (it installs nothing: the fleet benchmark measures the ledger's side).
type simAgent struct {
	id  string
	api *client.Client
	// csr and report are how long the agent's CSR and report calls took, for the breakdown.
	csr, report []time.Duration
}

// enrollSim enrolls an in-process agent with a join token over the TLS listener.
func enrollSim(b *testing.B, f *fleet) *simAgent {
	b.Helper()
	tok := f.joinToken(b)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(b, err)
	id := tok["agent_id"].(string)
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{DNSNames: []string{domain.AgentDNSName(id)}}, key)
	require.NoError(b, err)
	pool := serverPoolOf(b, f.serverCA)
	got, err := client.New(f.tlsURL, "", client.WithHTTPClient(tlsClient(pool, nil, tls.VersionTLS13))).Enroll(context.Background(),
		wire.EnrollRequest{JoinToken: tok["token"].(string), CSR: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: csr})),
			Host: "sim", Version: "bench"})
	require.NoError(b, err)
	block, _ := pem.Decode([]byte(got.Certificate))
	cert := tls.Certificate{Certificate: [][]byte{block.Bytes}, PrivateKey: key}
	hc := tlsClient(pool, &cert, tls.VersionTLS13)
	hc.Timeout = time.Minute
	return &simAgent{id: id, api: client.New(f.tlsURL, "", client.WithHTTPClient(hc))}
}

// run answers the agent's tasks until ctx ends, sending its own id for each deployment it ended.
func (a *simAgent) run(ctx context.Context, ended chan<- string) {
	var after int64
	done := map[string]bool{}
	for ctx.Err() == nil {
		tasks, err := a.api.AgentTasks(ctx, after, 20*time.Second)
		if err != nil {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		after = tasks.Position
		for _, t := range tasks.Items {
			if done[t.ID] || a.deploy(ctx, t) != nil {
				continue
			}
			done[t.ID] = true
			ended <- a.id
		}
	}
}

func (a *simAgent) deploy(ctx context.Context, t wire.Deployment) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{DNSNames: t.DNSNames}, key)
	if err != nil {
		return err
	}
	start := time.Now()
	chain, err := a.api.DeploymentCSR(ctx, t.ID, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: csr})))
	if err != nil {
		return err
	}
	a.csr = append(a.csr, time.Since(start))
	block, _ := pem.Decode([]byte(chain.Certificate))
	start = time.Now()
	err = a.api.ReportDeployment(ctx, t.ID, wire.DeploymentReport{Succeeded: true, Fingerprint: fingerprintOf(block.Bytes)})
	a.report = append(a.report, time.Since(start))
	return err
}

// BenchmarkFleetDeployment enrolls FLEET_AGENTS (default 200) in-process agents against a real
// ledgerd over mTLS, lets them hold their task polls, then per iteration deploys a certificate
// to every agent at once and waits for every DeploymentSucceeded. It reports the p50 and p99
// from DeployCertificate's answer to the agent's success report being recorded, and ledgerd's
// resident memory per connected agent.
func BenchmarkFleetDeployment(b *testing.B) {
	n := 200
	if s := os.Getenv("FLEET_AGENTS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	f := startFleet(b, "LEDGER_RATE_READ=1000000", "LEDGER_RATE_WRITE=1000000")
	agents := make([]*simAgent, n)
	for i := range agents {
		agents[i] = enrollSim(b, f)
	}
	time.Sleep(time.Second)
	before := rssKiB(b, f.cmd.Process.Pid)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ended := make(chan string, n)
	var running sync.WaitGroup
	for _, a := range agents {
		running.Add(1)
		go func() { defer running.Done(); a.run(ctx, ended) }()
	}
	time.Sleep(3 * time.Second) // every agent is holding its poll
	held := rssKiB(b, f.cmd.Process.Pid)
	var latencies []time.Duration
	b.ResetTimer()
	for range b.N {
		var mu sync.Mutex
		started := map[string]time.Time{}
		var wg sync.WaitGroup
		work := make(chan *simAgent)
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for a := range work {
					mu.Lock()
					started[a.id] = time.Now()
					mu.Unlock()
					f.deploy(b, map[string]any{"agent_id": a.id, "format": "pem", "cert_path": "/srv/tls/www.pem",
						"key_path": "/srv/tls/www.key"}, "www.example.com")
				}
			}()
		}
		for _, a := range agents {
			work <- a
		}
		close(work)
		defer wg.Wait()
		for range n {
			select {
			case id := <-ended:
				mu.Lock()
				latencies = append(latencies, time.Since(started[id]))
				mu.Unlock()
			case <-time.After(2 * time.Minute):
				b.Fatalf("only %d of %d deployments ended", len(latencies), n)
			}
		}
	}
	b.StopTimer()
	cancel()
	running.Wait() // the agents' breakdowns are read once they stopped
	var csrs, reports []time.Duration
	for _, a := range agents {
		csrs, reports = append(csrs, a.csr...), append(reports, a.report...)
	}
	slices.Sort(latencies)
	slices.Sort(csrs)
	slices.Sort(reports)
	fmt.Fprintf(os.Stderr, "fleet: median CSR call %s, median report call %s (p99 %s, %s)\n", csrs[len(csrs)/2], reports[len(reports)/2],
		csrs[len(csrs)*99/100], reports[len(reports)*99/100])
	b.ReportMetric(float64(latencies[len(latencies)/2].Milliseconds()), "p50_ms")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Milliseconds()), "p99_ms")
	b.ReportMetric(float64(held-before)/float64(n), "KiB_rss/agent")
	b.ReportMetric(float64(n), "agents")
	fmt.Fprintf(os.Stderr, "fleet: %d agents, ledgerd RSS %d KiB before their polls, %d KiB holding them\n", n, before, held)
}

// rssKiB is a process's resident set size.
func rssKiB(b *testing.B, pid int) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(b, err)
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kib, err := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			require.NoError(b, err)
			return kib
		}
	}
	b.Fatal("no VmRSS")
	return 0
}
