package acme

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// HTTP01 validates http-01 challenges (RFC 8555 §8.3) by fetching
// http://<domain>:<Port>/.well-known/acme-challenge/<token> from the ledger.
type HTTP01 struct {
	// Port is where the domain is asked; RFC 8555 says 80, a test a loopback port.
	Port int
	Retry
	// Dial, when set, replaces the dialer (a test points every name at loopback).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// maxKeyAuthorization bounds the body read from the client's server.
const maxKeyAuthorization = 4 << 10

// Validate fetches the token's key authorization until it matches or the attempts run out.
func (v *HTTP01) Validate(ctx context.Context, domainName, token, keyAuth string) (attempts int, problemType, detail string) {
	client := &http.Client{Transport: &http.Transport{DialContext: v.Dial, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	url := "http://" + net.JoinHostPort(domainName, strconv.Itoa(v.Port)) + "/.well-known/acme-challenge/" + token
	return v.run(ctx, func(ctx context.Context) (string, string) { return v.once(ctx, client, url, keyAuth) })
}

func (v *HTTP01) once(ctx context.Context, client *http.Client, url, keyAuth string) (problemType, detail string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "malformed", fmt.Sprintf("GET %s: %v", url, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) {
			return "dns", fmt.Sprintf("GET %s: %v", url, err)
		}
		return "connection", fmt.Sprintf("GET %s: %v", url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxKeyAuthorization))
	switch {
	case err != nil:
		return "connection", fmt.Sprintf("GET %s: reading the body: %v", url, err)
	case resp.StatusCode != http.StatusOK:
		return "unauthorized", fmt.Sprintf("GET %s answered %s", url, resp.Status)
	case strings.TrimSpace(string(body)) != keyAuth:
		return "incorrectResponse", fmt.Sprintf("GET %s did not answer the key authorization", url)
	}
	return "", ""
}
