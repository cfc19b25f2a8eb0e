package tlsscan

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"time"
)

// Outcome says how the scan of one target ended.
type Outcome string

// The outcomes of a target's scan.
const (
	OK              Outcome = "ok"               // a handshake, and a chain
	Refused         Outcome = "refused"          // nothing listens on the port
	Unreachable     Outcome = "unreachable"      // no route, or the host does not resolve
	TimedOut        Outcome = "timeout"          // no handshake within Scanner.Timeout
	Reset           Outcome = "reset"            // the peer closed or reset the connection
	NotTLS          Outcome = "not_tls"          // the peer answered with something else than TLS
	HandshakeFailed Outcome = "handshake_failed" // TLS, but no common version or suite, or an alert
	ChainTooLarge   Outcome = "chain_too_large"  // the chain exceeds the client's limits
	NoCertificate   Outcome = "no_certificate"   // a handshake without a certificate
	Canceled        Outcome = "canceled"         // the scan was canceled before the target
)

// Result is what one target served.
type Result struct {
	Target Target
	// Outcome is OK when Chain holds what the endpoint sent; Err says why when it is not.
	Outcome Outcome
	Err     error
	// Chain is the certificates the endpoint sent, leaf first, DER as received.
	Chain [][]byte
	// Version and CipherSuite are what the handshake agreed (tls.VersionTLS13, ...).
	Version     uint16
	CipherSuite uint16
	// KeyExchange is the group of the key exchange (tls.X25519MLKEM768 is post-quantum hybrid);
	// zero when the handshake does not say (TLS 1.2 with RSA key exchange).
	KeyExchange tls.CurveID
	// Elapsed is the time from dial to the end of the handshake.
	Elapsed time.Duration
}

// VersionName is the agreed protocol version as "TLS 1.3", or "" without a handshake.
func (r Result) VersionName() string {
	if r.Version == 0 {
		return ""
	}
	return tls.VersionName(r.Version)
}

// CipherSuiteName is the agreed cipher suite's IANA name, or "" without a handshake.
func (r Result) CipherSuiteName() string {
	if r.CipherSuite == 0 {
		return ""
	}
	return tls.CipherSuiteName(r.CipherSuite)
}

// outcomeOf classifies a dial or handshake error.
func outcomeOf(ctx context.Context, err error) Outcome {
	var recordErr tls.RecordHeaderError
	var alert tls.AlertError
	var netErr net.Error
	var dnsErr *net.DNSError
	msg := err.Error()
	switch {
	case ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled):
		return Canceled
	case errors.Is(err, syscall.ECONNREFUSED):
		return Refused
	case errors.As(err, &recordErr):
		return NotTLS
	case strings.Contains(msg, "exceeds maximum") || strings.Contains(msg, "too many certificates"):
		return ChainTooLarge
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &netErr) && netErr.Timeout():
		return TimedOut
	case errors.As(err, &dnsErr), errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return Unreachable
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE):
		return Reset
	case errors.As(err, &alert):
		return HandshakeFailed
	}
	return HandshakeFailed
}
