package acme

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// DNS01 validates dns-01 challenges (RFC 8555 §8.4): a TXT record at
// _acme-challenge.<domain> holding the base64url SHA-256 of the key authorization.
type DNS01 struct {
	// Resolver is the host:port of the DNS server asked (recursion desired); empty is the
	// first nameserver of /etc/resolv.conf.
	Resolver string
	Retry
}

// Validate asks for the TXT records until one holds the digest or the attempts run out.
func (v *DNS01) Validate(ctx context.Context, domainName, _, keyAuth string) (attempts int, problemType, detail string) {
	want := dns01Value(keyAuth)
	name := dns.Fqdn("_acme-challenge." + strings.TrimPrefix(domainName, "*."))
	return v.run(ctx, func(ctx context.Context) (string, string) { return v.once(ctx, name, want) })
}

func (v *DNS01) once(ctx context.Context, name, want string) (problemType, detail string) {
	server, err := v.server()
	if err != nil {
		return "dns", err.Error()
	}
	m := new(dns.Msg)
	m.SetQuestion(name, dns.TypeTXT)
	m.RecursionDesired = true
	in, _, err := (&dns.Client{Net: "udp"}).ExchangeContext(ctx, m, server)
	if err == nil && in.Truncated {
		in, _, err = (&dns.Client{Net: "tcp"}).ExchangeContext(ctx, m, server)
	}
	switch {
	case err != nil:
		return "dns", fmt.Sprintf("TXT %s at %s: %v", name, server, err)
	case in.Rcode != dns.RcodeSuccess:
		return "dns", fmt.Sprintf("TXT %s at %s: %s", name, server, dns.RcodeToString[in.Rcode])
	}
	var seen []string
	for _, rr := range in.Answer {
		if txt, ok := rr.(*dns.TXT); ok {
			seen = append(seen, strings.Join(txt.Txt, ""))
		}
	}
	if !slices.Contains(seen, want) {
		return "incorrectResponse", fmt.Sprintf("TXT %s holds %d records, none the key authorization's digest", name, len(seen))
	}
	return "", ""
}

func (v *DNS01) server() (string, error) {
	if v.Resolver != "" {
		return v.Resolver, nil
	}
	conf, err := dns.ClientConfigFromFile("/etc/resolv.conf")
	if err != nil || len(conf.Servers) == 0 {
		return "", fmt.Errorf("no DNS resolver configured and none in /etc/resolv.conf: %v", err)
	}
	return net.JoinHostPort(conf.Servers[0], conf.Port), nil
}
