package testutil

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/require"
)

// DNSServer is a small DNS server on a loopback UDP port for ACME tests: every A question is
// answered 127.0.0.1, and TXT questions with the records set by Present (it is a lego
// challenge.Provider for dns-01).
type DNSServer struct {
	Addr string // host:port
	mu   sync.Mutex
	txt  map[string][]string // by lower-case FQDN
}

// StartDNSServer serves until the test ends.
func StartDNSServer(t testing.TB) *DNSServer {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &DNSServer{Addr: pc.LocalAddr().String(), txt: map[string][]string{}}
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(s.answer)}
	started := make(chan struct{})
	srv.NotifyStartedFunc = func() { close(started) }
	go func() { _ = srv.ActivateAndServe() }()
	<-started
	t.Cleanup(func() { _ = srv.Shutdown() })
	return s
}

func (s *DNSServer) answer(w dns.ResponseWriter, r *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(r)
	m.Authoritative = true
	for _, q := range r.Question {
		hdr := dns.RR_Header{Name: q.Name, Class: dns.ClassINET, Rrtype: q.Qtype, Ttl: 1}
		switch q.Qtype {
		case dns.TypeA:
			m.Answer = append(m.Answer, &dns.A{Hdr: hdr, A: net.IPv4(127, 0, 0, 1)})
		case dns.TypeTXT:
			s.mu.Lock()
			for _, v := range s.txt[strings.ToLower(q.Name)] {
				m.Answer = append(m.Answer, &dns.TXT{Hdr: hdr, Txt: []string{v}})
			}
			s.mu.Unlock()
		}
	}
	_ = w.WriteMsg(m)
}

// SetTXT replaces the TXT records of fqdn.
func (s *DNSServer) SetTXT(fqdn string, values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.txt[strings.ToLower(dns.Fqdn(fqdn))] = values
}

// Present publishes the dns-01 record of a challenge (lego's challenge.Provider).
func (s *DNSServer) Present(_ context.Context, domain, _, keyAuth string) error {
	s.SetTXT("_acme-challenge."+domain, DNS01Value(keyAuth))
	return nil
}

// CleanUp removes the dns-01 record of a challenge.
func (s *DNSServer) CleanUp(_ context.Context, domain, _, _ string) error {
	s.SetTXT("_acme-challenge." + domain)
	return nil
}

// DNS01Value is the TXT value of a dns-01 key authorization: base64url SHA-256 (RFC 8555 §8.4).
func DNS01Value(keyAuth string) string {
	sum := sha256.Sum256([]byte(keyAuth))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
