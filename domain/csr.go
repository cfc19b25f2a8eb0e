package domain

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"net"
	"net/url"
	"slices"
	"strings"
)

// MaxCSRSize is the largest PEM input ParseCSR accepts, in bytes.
const MaxCSRSize = 64 << 10

// CSR is a parsed certificate signing request whose signature has been verified (by ParseCSR,
// when the request was decided). It is immutable; getters return copies.
type CSR struct {
	der        []byte
	commonName string
	dnsNames   []string
	ips        []net.IP
	emails     []string
	uris       []*url.URL
	publicKey  crypto.PublicKey
	keyType    KeyType
	spki       []byte
}

// ParseCSR parses a PEM-encoded PKCS#10 request. The input must hold exactly one
// "CERTIFICATE REQUEST" block, without headers, and nothing but whitespace around it; the
// request's signature must verify with its own key. DNS names are lower-cased and lose a
// trailing dot. Every failure is a KindInvalid error.
func ParseCSR(pemBytes []byte) (*CSR, error) {
	req, err := decodeCSR(pemBytes)
	if err != nil {
		return nil, err
	}
	if err := req.CheckSignature(); err != nil {
		return nil, invalidf("CSR signature does not verify: %v", err)
	}
	return newCSR(req), nil
}

// recordedCSR parses a request a CertificateRequested event recorded. Its signature was
// verified by ParseCSR when the request was decided, and the stream's hash chain keeps the
// bytes as they were, so a fold of the history does not verify it again (two ECDSA
// verifications less per issuance).
func recordedCSR(pemBytes []byte) (*CSR, error) {
	req, err := decodeCSR(pemBytes)
	if err != nil {
		return nil, err
	}
	return newCSR(req), nil
}

// decodeCSR checks the PEM framing of a request and parses it, without its signature.
func decodeCSR(pemBytes []byte) (*x509.CertificateRequest, error) {
	if len(pemBytes) > MaxCSRSize {
		return nil, invalidf("CSR is %d bytes, more than the limit of %d", len(pemBytes), MaxCSRSize)
	}
	trimmed := bytes.TrimSpace(pemBytes)
	if !bytes.HasPrefix(trimmed, []byte("-----BEGIN ")) {
		return nil, invalidf("CSR is not PEM: expected a -----BEGIN CERTIFICATE REQUEST----- block")
	}
	block, rest := pem.Decode(trimmed)
	switch {
	case block == nil:
		return nil, invalidf("CSR is not valid PEM")
	case block.Type != "CERTIFICATE REQUEST" && block.Type != "NEW CERTIFICATE REQUEST":
		return nil, invalidf("CSR PEM block is %q, want \"CERTIFICATE REQUEST\"", block.Type)
	case len(block.Headers) > 0:
		return nil, invalidf("CSR PEM block has headers; encrypted or annotated blocks are not accepted")
	case len(bytes.TrimSpace(rest)) > 0:
		if next, _ := pem.Decode(rest); next != nil {
			return nil, invalidf("CSR input holds more than one PEM block; send exactly one")
		}
		return nil, invalidf("CSR input has data after the PEM block")
	}
	req, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil {
		return nil, invalidf("CSR cannot be parsed: %v", err)
	}
	return req, nil
}

// newCSR is the parsed request of req, DNS names normalised.
func newCSR(req *x509.CertificateRequest) *CSR {
	dns := make([]string, len(req.DNSNames))
	for i, name := range req.DNSNames {
		dns[i] = normalizeDNSName(name)
	}
	return &CSR{
		der:        slices.Clone(req.Raw),
		commonName: req.Subject.CommonName,
		dnsNames:   dns,
		ips:        req.IPAddresses,
		emails:     req.EmailAddresses,
		uris:       req.URIs,
		publicKey:  req.PublicKey,
		keyType:    KeyTypeOf(req.PublicKey),
		spki:       req.RawSubjectPublicKeyInfo,
	}
}

// DER returns the request's DER encoding.
func (c *CSR) DER() []byte { return slices.Clone(c.der) }

// PEM returns the request as one canonical PEM block.
func (c *CSR) PEM() string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: c.der}))
}

// CommonName returns the subject's common name, which may be empty.
func (c *CSR) CommonName() string { return c.commonName }

// DNSNames returns the requested DNS names, lower-cased.
func (c *CSR) DNSNames() []string { return slices.Clone(c.dnsNames) }

// IPAddresses returns the requested IP addresses.
func (c *CSR) IPAddresses() []net.IP {
	out := make([]net.IP, len(c.ips))
	for i, ip := range c.ips {
		out[i] = slices.Clone(ip)
	}
	return out
}

// EmailAddresses returns the requested email addresses.
func (c *CSR) EmailAddresses() []string { return slices.Clone(c.emails) }

// URIs returns the requested URIs.
func (c *CSR) URIs() []*url.URL {
	out := make([]*url.URL, len(c.uris))
	for i, u := range c.uris {
		cp := *u
		out[i] = &cp
	}
	return out
}

// PublicKey returns the request's public key.
func (c *CSR) PublicKey() crypto.PublicKey { return c.publicKey }

// KeyType returns the name of the public key's algorithm and size.
func (c *CSR) KeyType() KeyType { return c.keyType }

// SANCount returns the number of subject alternative names of every kind.
func (c *CSR) SANCount() int {
	return len(c.dnsNames) + len(c.ips) + len(c.emails) + len(c.uris)
}

// ipStrings and uriStrings render SANs for events.
func (c *CSR) ipStrings() []string {
	out := make([]string, len(c.ips))
	for i, ip := range c.ips {
		out[i] = ip.String()
	}
	return out
}

func (c *CSR) uriStrings() []string {
	out := make([]string, len(c.uris))
	for i, u := range c.uris {
		out[i] = u.String()
	}
	return out
}

// normalizeDNSName lower-cases a DNS name and removes one trailing dot.
func normalizeDNSName(name string) string {
	return strings.TrimSuffix(strings.ToLower(name), ".")
}
