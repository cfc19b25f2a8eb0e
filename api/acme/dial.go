package acme

import (
	"context"
	"net"
)

// ResolverDialer dials names as resolver (host:port of a DNS server) resolves them, so that
// http-01 and tls-alpn-01 reach the same addresses dns-01 asks: a test points them at its
// own DNS server, a deployment at its internal one.
func ResolverDialer(resolver string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{}
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, resolver)
	}}
	return (&net.Dialer{Resolver: r}).DialContext
}
