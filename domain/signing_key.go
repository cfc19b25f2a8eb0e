package domain

import (
	"crypto/x509"
	"fmt"
	"time"
)

// KeyStatus is the state of a signing key. A key that does not exist has the empty status.
type KeyStatus string

// The states of a signing key: active ⇄ disabled, either → rotated (replaced by a successor,
// kept for verification), any of them → revoked (final).
const (
	KeyStatusActive   KeyStatus = "active"
	KeyStatusDisabled KeyStatus = "disabled"
	KeyStatusRotated  KeyStatus = "rotated"
	KeyStatusRevoked  KeyStatus = "revoked"
)

// SigningKey is the signing key aggregate: a key in the HSM that signs artifacts' digests, its
// certificate from a ledger CA and its policy, rebuilt from its stream's events.
type SigningKey struct {
	created SigningKeyCreated
	cert    *x509.Certificate
	chain   []*x509.Certificate
	status  KeyStatus
	revoked SigningKeyRevoked
	rotated SigningKeyRotated
	signing signings
	version int
}

// NewSigningKeyFromHistory folds a signing key stream's events. An empty history gives a key
// that does not exist, on which only PrepareCreate and Create decide.
func NewSigningKeyFromHistory(history []Event) (*SigningKey, error) {
	k := &SigningKey{}
	for _, e := range history {
		if err := k.Apply(e); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// Apply changes the key's state by one of its events, refusing events out of order and
// events of another key.
func (k *SigningKey) Apply(e Event) error {
	if k.signing.apply(e) {
		k.version++
		return nil
	}
	if id := e.Aggregate().ID; k.status != "" && id != k.created.KeyID {
		return fmt.Errorf("apply %s for signing key %q to signing key %q", e.EventType(), id, k.created.KeyID)
	}
	from := map[string][]KeyStatus{TypeSigningKeyCreated: {""}, TypeSigningKeyDisabled: {KeyStatusActive},
		TypeSigningKeyEnabled: {KeyStatusDisabled}, TypeSigningKeyRevoked: {KeyStatusActive, KeyStatusDisabled, KeyStatusRotated},
		TypeSigningKeyRotated: {KeyStatusActive, KeyStatusDisabled}}
	allowed, ok := from[e.EventType()]
	if !ok {
		return fmt.Errorf("apply %s to signing key %q: not a signing key event", e.EventType(), k.created.KeyID)
	}
	if !containsStatus(allowed, k.status) {
		return fmt.Errorf("apply %s to signing key %q in state %q: illegal transition", e.EventType(), k.created.KeyID, k.status)
	}
	switch e := e.(type) {
	case SigningKeyCreated:
		return k.applyCreated(e)
	case SigningKeyDisabled:
		k.status = KeyStatusDisabled
	case SigningKeyEnabled:
		k.status = KeyStatusActive
	case SigningKeyRevoked:
		k.status, k.revoked = KeyStatusRevoked, e
	case SigningKeyRotated:
		k.status, k.rotated = KeyStatusRotated, e
	}
	k.version++
	return nil
}

func (k *SigningKey) applyCreated(e SigningKeyCreated) error {
	cert, err := x509.ParseCertificate(e.CertificateDER)
	if err != nil {
		return fmt.Errorf("apply creation of signing key %q: stored certificate: %w", e.KeyID, err)
	}
	chain := make([]*x509.Certificate, 0, len(e.ChainDER))
	for _, der := range e.ChainDER {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return fmt.Errorf("apply creation of signing key %q: stored chain: %w", e.KeyID, err)
		}
		chain = append(chain, c)
	}
	k.created, k.cert, k.chain, k.status = e, cert, chain, KeyStatusActive
	k.signing.finish(e.Serial)
	k.version++
	return nil
}

func containsStatus(list []KeyStatus, s KeyStatus) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// Exists reports whether the key was created.
func (k *SigningKey) Exists() bool { return k.status != "" }

// ID is the key's id.
func (k *SigningKey) ID() string { return k.created.KeyID }

// Name is the key's display name.
func (k *SigningKey) Name() string { return k.created.Name }

// Team owns the key.
func (k *SigningKey) Team() string { return k.created.Team }

// Usage is what the key signs: code or timestamps.
func (k *SigningKey) Usage() KeyUsageKind { return k.created.Usage }

// KeyType is the key's algorithm and size.
func (k *SigningKey) KeyType() KeyType { return k.created.KeyType }

// HSMKeyLabel is the label of the key pair in the HSM.
func (k *SigningKey) HSMKeyLabel() string { return k.created.HSMKeyLabel }

// Status is the key's state.
func (k *SigningKey) Status() KeyStatus { return k.status }

// Policy is the key's signing policy, defaults filled in.
func (k *SigningKey) Policy() SigningPolicy { return k.created.Policy }

// CAID is the CA that signed the key's certificate.
func (k *SigningKey) CAID() string { return k.created.CAID }

// Serial is the key certificate's serial in lower-case hex.
func (k *SigningKey) Serial() string { return k.created.Serial }

// Certificate is the key's certificate.
func (k *SigningKey) Certificate() *x509.Certificate { return k.cert }

// Chain are the certificates above the key's, the issuing CA first.
func (k *SigningKey) Chain() []*x509.Certificate { return k.chain }

// CreatedAt is when the key was created.
func (k *SigningKey) CreatedAt() time.Time { return k.created.CreatedAt }

// RevokedAt is when and why the key was revoked; zero unless it is.
func (k *SigningKey) RevokedAt() (time.Time, RevocationReason) {
	return k.revoked.RevokedAt, k.revoked.Reason
}

// Successor is the key that replaced this one, "" unless it was rotated (a rotated key
// revoked later keeps its successor).
func (k *SigningKey) Successor() string { return k.rotated.SuccessorID }

// Version is the number of events folded.
func (k *SigningKey) Version() int { return k.version }
