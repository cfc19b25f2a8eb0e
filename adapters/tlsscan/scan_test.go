package tlsscan_test

import (
	"context"
	"crypto/tls"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/tlsscan"
	"github.com/certledger/certledger/adapters/tlsscan/scantest"
)

// scanOne scans one target with a short timeout.
func scanOne(t *testing.T, target tlsscan.Target) tlsscan.Result {
	t.Helper()
	var got []tlsscan.Result
	sum := tlsscan.Scanner{Timeout: 500 * time.Millisecond}.Scan(context.Background(), []tlsscan.Target{target},
		func(r tlsscan.Result) { got = append(got, r) })
	require.Len(t, got, 1)
	assert.Equal(t, 1, sum.Outcomes[got[0].Outcome])
	return got[0]
}

func TestScanCapturesTheChainForTheAskedName(t *testing.T) {
	www, api := scantest.NewChain(t, "www.example.com"), scantest.NewChain(t, "api.example.com")
	ln := scantest.Listen(t, "127.0.0.1:0")
	scantest.ServeTLS(t, ln, &tls.Config{GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
		if hello.ServerName == "api.example.com" {
			return &api.TLS, nil
		}
		return &www.TLS, nil
	}})

	r := scanOne(t, tlsscan.Target{Address: ln.Addr().String(), ServerName: "api.example.com"})
	require.Equal(t, tlsscan.OK, r.Outcome, "%v", r.Err)
	assert.Equal(t, api.TLS.Certificate, r.Chain, "the chain as served, leaf first")
	assert.Equal(t, "TLS 1.3", r.VersionName())
	assert.NotEmpty(t, r.CipherSuiteName())
	assert.Equal(t, tls.X25519MLKEM768, r.KeyExchange, "Go's server and client agree on the hybrid group")

	r = scanOne(t, tlsscan.Target{Address: ln.Addr().String()})
	require.Equal(t, tlsscan.OK, r.Outcome, "%v", r.Err)
	assert.Equal(t, www.Leaf.Raw, r.Chain[0], "no SNI: the default certificate")
}

func TestScanRecordsAnOldProtocolAndAWeakSuite(t *testing.T) {
	chain := scantest.NewChain(t, "legacy.example.com")
	ln := scantest.Listen(t, "127.0.0.1:0")
	scantest.ServeTLS(t, ln, &tls.Config{Certificates: []tls.Certificate{chain.TLS},
		MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS10,
		CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA}})

	r := scanOne(t, tlsscan.Target{Address: ln.Addr().String(), ServerName: "legacy.example.com"})
	require.Equal(t, tlsscan.OK, r.Outcome, "%v", r.Err)
	assert.Equal(t, "TLS 1.0", r.VersionName())
	assert.Equal(t, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", r.CipherSuiteName())
}

func TestScanTurnsBadEndpointsIntoOutcomes(t *testing.T) {
	chain := scantest.NewChain(t, "big.example.com")
	huge := chain.TLS
	huge.Certificate = nil
	for range 1000 { // about 400 KiB, over the client's 256 KiB certificate message limit
		huge.Certificate = append(huge.Certificate, chain.Leaf.Raw)
	}
	long := chain.TLS
	long.Certificate = nil
	for range tlsscan.MaxChain + 1 {
		long.Certificate = append(long.Certificate, chain.Leaf.Raw)
	}
	serveTLS := func(c tls.Certificate) string {
		ln := scantest.Listen(t, "127.0.0.1:0")
		scantest.ServeTLS(t, ln, &tls.Config{Certificates: []tls.Certificate{c}})
		return ln.Addr().String()
	}
	serveRaw := func(handle func(net.Conn)) string {
		ln := scantest.Listen(t, "127.0.0.1:0")
		scantest.ServeRaw(t, ln, handle)
		return ln.Addr().String()
	}
	cases := map[string]struct {
		addr string
		want tlsscan.Outcome
	}{
		"nothing listens":     {scantest.ClosedPort(t), tlsscan.Refused},
		"an HTTP server":      {serveRaw(func(c net.Conn) { _, _ = c.Write([]byte("HTTP/1.1 400 Bad Request\r\n\r\n")) }), tlsscan.NotTLS},
		"an oversized record": {serveRaw(func(c net.Conn) { _, _ = c.Write([]byte{0x16, 0x03, 0x01, 0xff, 0xff, 0, 1, 2}) }), tlsscan.NotTLS},
		"a cut record":        {serveRaw(func(c net.Conn) { _, _ = c.Write([]byte{0x16, 0x03, 0x03, 0x00, 0x40, 2}) }), tlsscan.Reset},
		"closes at once":      {serveRaw(func(net.Conn) {}), tlsscan.Reset},
		"never answers":       {serveRaw(func(c net.Conn) { time.Sleep(2 * time.Second) }), tlsscan.TimedOut},
		"a 400 KiB chain":     {serveTLS(huge), tlsscan.ChainTooLarge},
		"17 certificates":     {serveTLS(long), tlsscan.ChainTooLarge},
		"a host that is not":  {"nonexistent.invalid:443", tlsscan.Unreachable},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r := scanOne(t, tlsscan.Target{Address: c.addr, ServerName: "big.example.com"})
			assert.Equal(t, c.want, r.Outcome, "%v", r.Err)
			assert.Empty(t, r.Chain)
			assert.Error(t, r.Err)
		})
	}
}

func TestScanReportsEveryTargetAndStopsWhenCanceled(t *testing.T) {
	chain := scantest.NewChain(t, "www.example.com")
	ln := scantest.Listen(t, "127.0.0.1:0")
	scantest.ServeTLS(t, ln, &tls.Config{Certificates: []tls.Certificate{chain.TLS}})
	targets := make([]tlsscan.Target, 50)
	for i := range targets {
		targets[i] = tlsscan.Target{Address: ln.Addr().String()}
	}
	sum := tlsscan.Scanner{Concurrency: 4}.Scan(context.Background(), targets, nil)
	assert.Equal(t, map[tlsscan.Outcome]int{tlsscan.OK: 50}, sum.Outcomes)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sum = tlsscan.Scanner{}.Scan(ctx, targets, nil)
	assert.Equal(t, map[tlsscan.Outcome]int{tlsscan.Canceled: 50}, sum.Outcomes)
}
