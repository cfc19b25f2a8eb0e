package auth

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/certledger/certledger/domain"
)

// ErrCertificateUnknown is what a CertificateLookup answers for a fingerprint the ledger never
// issued.
var ErrCertificateUnknown = errors.New("certificate unknown")

// IssuedCertificate is what the ledger knows of a certificate it issued.
type IssuedCertificate struct {
	ID     string
	Team   string
	Owner  string
	Status string // a domain.CertStatus, such as "issued" or "revoked"
	// AgentID is set when the certificate is an enrolled agent's client certificate; Agent
	// then says whether the agent is still enrolled (not revoked).
	AgentID       string
	AgentEnrolled bool
}

// CertificateLookup finds a certificate the ledger issued by the SHA-256 fingerprint of its DER
// encoding, in lowercase hex. It answers ErrCertificateUnknown (possibly wrapped) for a
// certificate the ledger did not issue.
type CertificateLookup interface {
	IssuedCertificate(ctx context.Context, fingerprintSHA256 string) (IssuedCertificate, error)
}

// ClientCertificates authenticates TLS clients by certificates the ledger issued itself.
type ClientCertificates struct {
	Lookup CertificateLookup
	// Role is the one role an authenticated certificate grants. Empty means domain.RoleDevOps.
	Role domain.Role
}

// FromTLS returns the actor of the connection's client certificate — an AGENT bound to its
// agent id and team for an enrolled agent's certificate, else one of Role; the bool reports whether the
// connection presented a verified client certificate at all. Without one it answers
// (Actor{}, false, nil): the request then needs a bearer token. A verified certificate
// authenticates only when the ledger knows it as issued; otherwise the error wraps
// ErrInvalidToken and says why. A failing lookup is returned as is, not as ErrInvalidToken.
func (c ClientCertificates) FromTLS(ctx context.Context, state *tls.ConnectionState) (domain.Actor, bool, error) {
	if state == nil || len(state.VerifiedChains) == 0 || len(state.VerifiedChains[0]) == 0 {
		return domain.Actor{}, false, nil
	}
	if c.Lookup == nil {
		return domain.Actor{}, true, errors.New("client certificates: no certificate lookup configured")
	}
	leaf := state.VerifiedChains[0][0]
	fingerprint := Fingerprint(leaf)
	issued, err := c.Lookup.IssuedCertificate(ctx, fingerprint)
	switch {
	case errors.Is(err, ErrCertificateUnknown):
		return domain.Actor{}, true, invalidf("client certificate %s (%q) was not issued by the ledger", fingerprint, leaf.Subject.CommonName)
	case err != nil:
		return domain.Actor{}, true, fmt.Errorf("looking up client certificate %s: %w", fingerprint, err)
	case issued.Status != string(domain.StatusIssued):
		return domain.Actor{}, true, invalidf("client certificate %s is %s, not %s", issued.ID, issued.Status, domain.StatusIssued)
	}
	if issued.AgentID != "" {
		if !issued.AgentEnrolled {
			return domain.Actor{}, true, invalidf("client certificate %s is that of agent %s, which is revoked", issued.ID, issued.AgentID)
		}
		return domain.Actor{Subject: domain.AgentSubjectPrefix + issued.AgentID, Roles: []domain.Role{domain.RoleAgent}, Team: issued.Team}, true, nil
	}
	name := leaf.Subject.CommonName
	if name == "" {
		name = issued.ID
	}
	role := c.Role
	if role == "" {
		role = domain.RoleDevOps
	}
	return domain.Actor{Subject: "mtls:" + name, Roles: []domain.Role{role}, Team: issued.Team}, true, nil
}

// Fingerprint is the SHA-256 fingerprint of a certificate's DER encoding, in lowercase hex, as
// CertificateLookup expects it.
func Fingerprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return hex.EncodeToString(sum[:])
}

// ServerTLSConfig is the TLS configuration of a listener that accepts both client certificates
// and bearer tokens: TLS 1.3 only, and a client certificate is verified against clientCAs when
// one is given but not required.
func ServerTLSConfig(cert tls.Certificate, clientCAs *x509.CertPool) *tls.Config {
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.VerifyClientCertIfGiven,
		ClientCAs:    clientCAs,
	}
}
