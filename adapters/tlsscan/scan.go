package tlsscan

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"sync"
	"time"
)

// MaxChain is the most certificates a chain may hold; a longer one is ChainTooLarge.
const MaxChain = 16

// Scanner scans TLS endpoints. The zero Scanner is usable: 64 connections at once, 5 s each.
type Scanner struct {
	// Concurrency is the most connections open at once (0: 64).
	Concurrency int
	// Timeout bounds each target from dial to the end of the handshake (0: 5 s).
	Timeout time.Duration
	// Dialer makes the TCP connections; nil is a plain net.Dialer.
	Dialer *net.Dialer
}

// Summary counts a scan's results.
type Summary struct {
	Targets  int
	Outcomes map[Outcome]int
	Elapsed  time.Duration
}

// Scan scans targets and calls report with each result as it comes, from one goroutine at a
// time and in no particular order. Canceling ctx ends the scan: targets not yet scanned are
// reported as Canceled.
func (s Scanner) Scan(ctx context.Context, targets []Target, report func(Result)) Summary {
	workers := s.Concurrency
	if workers <= 0 {
		workers = 64
	}
	workers = min(workers, max(len(targets), 1))
	start := time.Now()
	sum := Summary{Targets: len(targets), Outcomes: map[Outcome]int{}}
	results := make(chan Result, workers)
	next := make(chan Target)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for t := range next {
				results <- s.scanOne(ctx, t)
			}
		})
	}
	go func() {
		for _, t := range targets {
			next <- t
		}
		close(next)
		wg.Wait()
		close(results)
	}()
	for r := range results {
		sum.Outcomes[r.Outcome]++
		if report != nil {
			report(r)
		}
	}
	sum.Elapsed = time.Since(start)
	return sum
}

// scanOne dials one target and captures what its handshake shows.
func (s Scanner) scanOne(ctx context.Context, t Target) Result {
	if ctx.Err() != nil {
		return Result{Target: t, Outcome: Canceled, Err: ctx.Err()}
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	dialer := s.Dialer
	if dialer == nil {
		dialer = &net.Dialer{}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	tlsDialer := &tls.Dialer{NetDialer: dialer, Config: clientConfig(t.ServerName)}
	conn, err := tlsDialer.DialContext(ctx, "tcp", t.Address)
	elapsed := time.Since(start)
	if err != nil {
		return Result{Target: t, Outcome: outcomeOf(ctx, err), Err: fmt.Errorf("%s: %w", t, err), Elapsed: elapsed}
	}
	defer conn.Close()
	state := conn.(*tls.Conn).ConnectionState()
	r := Result{Target: t, Outcome: OK, Version: state.Version, CipherSuite: state.CipherSuite,
		KeyExchange: state.CurveID, Elapsed: elapsed}
	for _, c := range state.PeerCertificates {
		r.Chain = append(r.Chain, c.Raw)
	}
	switch {
	case len(r.Chain) == 0:
		r.Outcome, r.Err = NoCertificate, fmt.Errorf("%s: the handshake carried no certificate", t)
	case len(r.Chain) > MaxChain:
		r.Outcome, r.Err = ChainTooLarge, fmt.Errorf("%s: the chain holds %d certificates, more than %d", t, len(r.Chain), MaxChain)
		r.Chain = nil
	}
	return r
}

// everySuite is every cipher suite Go implements, the insecure ones included.
var everySuite = func() []uint16 {
	var ids []uint16
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		ids = append(ids, s.ID)
	}
	return ids
}()

// clientConfig accepts whatever the endpoint shows, from TLS 1.0 up and with the weak suites
// too: discovery records what is served, it does not trust it.
func clientConfig(serverName string) *tls.Config {
	return &tls.Config{
		ServerName:         serverName,
		InsecureSkipVerify: true, //nolint:gosec // a scan captures the chain; the ledger judges it
		MinVersion:         tls.VersionTLS10,
		CipherSuites:       everySuite,
	}
}
