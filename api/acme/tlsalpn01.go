package acme

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"net"
	"strconv"
)

// idPeACMEIdentifier is the extension a tls-alpn-01 certificate holds (RFC 8737 §3).
var idPeACMEIdentifier = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 31}

// ALPNProto is the ALPN protocol a tls-alpn-01 handshake negotiates.
const ALPNProto = "acme-tls/1"

// TLSALPN01 validates tls-alpn-01 challenges (RFC 8737): a TLS handshake with <domain>:<Port>,
// SNI the domain and ALPN acme-tls/1, must present a self-signed certificate for exactly that
// domain with a critical acmeIdentifier extension holding the SHA-256 of the key authorization.
type TLSALPN01 struct {
	// Port is where the domain is asked; RFC 8737 says 443, a test a loopback port.
	Port int
	Retry
	// Dial, when set, replaces the dialer (a test points every name at loopback).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Validate makes the handshake until its certificate proves the key authorization or the
// attempts run out.
func (v *TLSALPN01) Validate(ctx context.Context, domainName, _, keyAuth string) (attempts int, problemType, detail string) {
	return v.run(ctx, func(ctx context.Context) (string, string) { return v.once(ctx, domainName, keyAuth) })
}

func (v *TLSALPN01) once(ctx context.Context, domainName, keyAuth string) (problemType, detail string) {
	addr := net.JoinHostPort(domainName, strconv.Itoa(v.Port))
	dial := v.Dial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	raw, err := dial(ctx, "tcp", addr)
	if err != nil {
		return "connection", fmt.Sprintf("tls-alpn-01 %s: %v", addr, err)
	}
	conn := tls.Client(raw, &tls.Config{ServerName: domainName, NextProtos: []string{ALPNProto},
		InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}) // #nosec G402 -- RFC 8737: the certificate is self-signed and checked below
	defer func() { _ = conn.Close() }()
	if err := conn.HandshakeContext(ctx); err != nil {
		return "tls", fmt.Sprintf("tls-alpn-01 %s: handshake: %v", addr, err)
	}
	st := conn.ConnectionState()
	if st.NegotiatedProtocol != ALPNProto || len(st.PeerCertificates) == 0 {
		return "tls", fmt.Sprintf("tls-alpn-01 %s did not negotiate %s", addr, ALPNProto)
	}
	return checkALPNCertificate(st.PeerCertificates[0], domainName, keyAuth)
}

// checkALPNCertificate checks the certificate a tls-alpn-01 handshake presented.
func checkALPNCertificate(cert *x509.Certificate, domainName, keyAuth string) (problemType, detail string) {
	if len(cert.DNSNames) != 1 || cert.DNSNames[0] != domainName || len(cert.IPAddresses)+len(cert.EmailAddresses)+len(cert.URIs) > 0 {
		return "unauthorized", fmt.Sprintf("tls-alpn-01: the certificate is for %v, not exactly %s", cert.DNSNames, domainName)
	}
	for _, ext := range cert.Extensions {
		if !ext.Id.Equal(idPeACMEIdentifier) {
			continue
		}
		var got []byte
		if rest, err := asn1.Unmarshal(ext.Value, &got); err != nil || len(rest) > 0 || !ext.Critical {
			return "unauthorized", "tls-alpn-01: the acmeIdentifier extension is not a critical OCTET STRING"
		}
		if !bytes.Equal(got, keyAuthDigest(keyAuth)) {
			return "incorrectResponse", "tls-alpn-01: the acmeIdentifier is not the key authorization's digest"
		}
		return "", ""
	}
	return "unauthorized", "tls-alpn-01: the certificate has no acmeIdentifier extension"
}
