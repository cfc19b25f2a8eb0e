package tlsscan_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/tlsscan"
	"github.com/certledger/certledger/adapters/tlsscan/scantest"
)

// fleetSize is how many TLS listeners the scan benchmarks open, on 127.1.x.y.
const fleetSize = 10_000

// fleet opens fleetSize TLS listeners on distinct loopback addresses and returns their targets.
func fleet(b *testing.B) []tlsscan.Target {
	b.Helper()
	chain := scantest.NewChain(b, "fleet.example.com")
	config := &tls.Config{Certificates: []tls.Certificate{chain.TLS}}
	targets := make([]tlsscan.Target, fleetSize)
	for i := range targets {
		ln := scantest.Listen(b, fmt.Sprintf("127.1.%d.%d:0", i/250, 1+i%250))
		scantest.ServeTLS(b, ln, config)
		targets[i] = tlsscan.Target{Address: ln.Addr().String(), ServerName: "fleet.example.com"}
	}
	return targets
}

// BenchmarkScan scans 10,000 loopback TLS listeners (server and scanner share the machine's
// cores) with the scanner, with a bare tls.Dial loop at the same concurrency (the ceiling),
// and with openssl s_client run once per endpoint for 200 of them (what a shell loop does).
func BenchmarkScan(b *testing.B) {
	targets := fleet(b)
	b.Run("tlsscan", func(b *testing.B) {
		for b.Loop() {
			sum := tlsscan.Scanner{Concurrency: 128, Timeout: 10 * time.Second}.Scan(context.Background(), targets, nil)
			require.Equal(b, fleetSize, sum.Outcomes[tlsscan.OK], "%v", sum.Outcomes)
		}
		b.ReportMetric(float64(b.N*fleetSize)/b.Elapsed().Seconds(), "endpoints/s")
	})
	b.Run("tls.Dial", func(b *testing.B) {
		for b.Loop() {
			dialAll(b, targets, 128)
		}
		b.ReportMetric(float64(b.N*fleetSize)/b.Elapsed().Seconds(), "endpoints/s")
	})
	b.Run("openssl_s_client", func(b *testing.B) {
		const n = 200
		for b.Loop() {
			for _, t := range targets[:n] {
				cmd := exec.Command("openssl", "s_client", "-connect", t.Address, "-servername", t.ServerName, "-showcerts")
				cmd.Stdin = nil
				out, err := cmd.CombinedOutput()
				require.NoError(b, err, "%s", out)
			}
		}
		b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "endpoints/s")
	})
}

// dialAll handshakes with every target using concurrency goroutines and plain tls.Dial.
func dialAll(b *testing.B, targets []tlsscan.Target, concurrency int) {
	next := make(chan tlsscan.Target)
	var wg sync.WaitGroup
	for range concurrency {
		wg.Go(func() {
			for t := range next {
				c, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", t.Address,
					&tls.Config{ServerName: t.ServerName, InsecureSkipVerify: true})
				if err != nil {
					b.Error(err)
					continue
				}
				_ = c.Close()
			}
		})
	}
	for _, t := range targets {
		next <- t
	}
	close(next)
	wg.Wait()
}
