package domain

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"strings"
	"time"
)

// The findings discovery raises about a certificate and where it was seen.
const (
	FindingExpired          = "expired"
	FindingExpiring         = "expiring" // within ExpiringWithin
	FindingWeakKey          = "weak_key" // RSA below 2048 bits, an EC curve below P-256
	FindingSHA1Signature    = "sha1_signature"
	FindingSelfSigned       = "self_signed"
	FindingHostnameMismatch = "hostname_mismatch"
	FindingChainIncomplete  = "chain_incomplete"
	FindingRevokedServed    = "revoked_but_served"
)

// ExpiringWithin is how close to its end a certificate is "expiring".
const ExpiringWithin = 30 * 24 * time.Hour

// CertificateFindings are the findings a certificate raises by itself at a time.
func CertificateFindings(c *x509.Certificate, at time.Time) []string {
	var out []string
	switch {
	case !at.Before(c.NotAfter):
		out = append(out, FindingExpired)
	case c.NotAfter.Sub(at) <= ExpiringWithin:
		out = append(out, FindingExpiring)
	}
	if WeakKey(c) {
		out = append(out, FindingWeakKey)
	}
	if WeakSignature(c) {
		out = append(out, FindingSHA1Signature)
	}
	if SelfSigned(c) {
		out = append(out, FindingSelfSigned)
	}
	return out
}

// WeakKey says whether a certificate's key is below what the ledger accepts: RSA under 2048
// bits, or an EC curve below P-256 (P-224; P-192 does not even parse in Go), or DSA.
func WeakKey(c *x509.Certificate) bool {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		return k.N.BitLen() < 2048
	case *ecdsa.PublicKey:
		return k.Curve.Params().BitSize < 256
	case ed25519.PublicKey:
		return false
	}
	return true
}

// HostnameMismatch says whether a certificate served for name does not cover it. An endpoint
// asked for no name (an address) cannot mismatch.
func HostnameMismatch(c *x509.Certificate, name string) bool {
	return name != "" && c.VerifyHostname(strings.TrimSuffix(name, ".")) != nil
}

// SelfSigned says whether a certificate names itself as its issuer: the same name, and no
// authority key id or its own. (The signature is not checked: Go refuses to check SHA-1 ones,
// which are exactly the old self-signed certificates discovery must report.)
func SelfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, c.RawSubject) &&
		(len(c.AuthorityKeyId) == 0 || bytes.Equal(c.AuthorityKeyId, c.SubjectKeyId))
}

// WeakSignature says whether a certificate is signed with SHA-1 or an older digest.
func WeakSignature(c *x509.Certificate) bool {
	switch c.SignatureAlgorithm {
	case x509.SHA1WithRSA, x509.ECDSAWithSHA1, x509.DSAWithSHA1, x509.MD5WithRSA, x509.MD2WithRSA:
		return true
	}
	return false
}
