package domain

import "time"

// The signing key event types, as stored with every event and hashed into its stream's chain:
// a name never changes. They are on the stream "signingkey-<id>".
const (
	TypeSigningKeyCreated  = "SigningKeyCreated"
	TypeSigningKeyDisabled = "SigningKeyDisabled"
	TypeSigningKeyEnabled  = "SigningKeyEnabled"
	TypeSigningKeyRevoked  = "SigningKeyRevoked"
	TypeSigningKeyRotated  = "SigningKeyRotated"
)

// signingKeyEvents are the events of a signing key's stream, besides the signing events.
var signingKeyEvents = []EventSpec{specOf[SigningKeyCreated](), specOf[SigningKeyDisabled](),
	specOf[SigningKeyEnabled](), specOf[SigningKeyRevoked](), specOf[SigningKeyRotated]()}

func signingKeyRef(id string) AggregateRef { return AggregateRef{Category: CategorySigningKey, ID: id} }

// SigningKeyCreated records a signing key generated in the HSM and the code-signing (or
// time-stamping) certificate a ledger CA signed for it after the intent announced its serial.
type SigningKeyCreated struct {
	KeyID       string       `json:"key_id"`
	Name        string       `json:"name"`
	Team        string       `json:"team"`
	Usage       KeyUsageKind `json:"usage"`
	KeyType     KeyType      `json:"key_type"`
	HSMKeyLabel string       `json:"hsm_key_label"`
	// CAID and Serial name the certificate: the CA that signed it and its serial (lower-case hex).
	CAID           string `json:"ca_id"`
	Serial         string `json:"serial"`
	CertificateDER []byte `json:"certificate_der"`
	// ChainDER are the certificates above it, the issuing CA first, up to its root.
	ChainDER  [][]byte      `json:"chain_der"`
	NotBefore time.Time     `json:"not_before"`
	NotAfter  time.Time     `json:"not_after"`
	Policy    SigningPolicy `json:"policy"`
	CreatedAt time.Time     `json:"created_at"`
	Override  bool          `json:"override"`
}

// EventType returns TypeSigningKeyCreated.
func (SigningKeyCreated) EventType() string { return TypeSigningKeyCreated }

// Aggregate returns the signing key.
func (e SigningKeyCreated) Aggregate() AggregateRef { return signingKeyRef(e.KeyID) }

// SigningKeyDisabled records that a key signs nothing until it is enabled again.
type SigningKeyDisabled struct {
	KeyID      string    `json:"key_id"`
	Reason     string    `json:"reason"`
	DisabledAt time.Time `json:"disabled_at"`
	Override   bool      `json:"override"`
}

// EventType returns TypeSigningKeyDisabled.
func (SigningKeyDisabled) EventType() string { return TypeSigningKeyDisabled }

// Aggregate returns the signing key.
func (e SigningKeyDisabled) Aggregate() AggregateRef { return signingKeyRef(e.KeyID) }

// SigningKeyEnabled records that a disabled key signs again.
type SigningKeyEnabled struct {
	KeyID     string    `json:"key_id"`
	EnabledAt time.Time `json:"enabled_at"`
	Override  bool      `json:"override"`
}

// EventType returns TypeSigningKeyEnabled.
func (SigningKeyEnabled) EventType() string { return TypeSigningKeyEnabled }

// Aggregate returns the signing key.
func (e SigningKeyEnabled) Aggregate() AggregateRef { return signingKeyRef(e.KeyID) }

// SigningKeyRevoked records the revocation of a key's certificate: the key signs nothing from
// then on, and the CA's CRL and OCSP list the certificate's serial as revoked.
type SigningKeyRevoked struct {
	KeyID string `json:"key_id"`
	// CAID and Serial name the revoked certificate.
	CAID           string           `json:"ca_id"`
	Serial         string           `json:"serial"`
	Reason         RevocationReason `json:"reason"`
	InvalidityDate *time.Time       `json:"invalidity_date,omitempty"`
	RevokedAt      time.Time        `json:"revoked_at"`
	Override       bool             `json:"override"`
}

// EventType returns TypeSigningKeyRevoked.
func (SigningKeyRevoked) EventType() string { return TypeSigningKeyRevoked }

// Aggregate returns the signing key.
func (e SigningKeyRevoked) Aggregate() AggregateRef { return signingKeyRef(e.KeyID) }

// SigningKeyRotated records that a key was replaced by its successor, a new key in the HSM with
// a new certificate: the key signs nothing from then on, and its certificate, not revoked,
// still verifies what it signed before.
type SigningKeyRotated struct {
	KeyID       string    `json:"key_id"`
	SuccessorID string    `json:"successor_id"`
	Reason      string    `json:"reason,omitempty"`
	RotatedAt   time.Time `json:"rotated_at"`
	Override    bool      `json:"override"`
}

// EventType returns TypeSigningKeyRotated.
func (SigningKeyRotated) EventType() string { return TypeSigningKeyRotated }

// Aggregate returns the signing key.
func (e SigningKeyRotated) Aggregate() AggregateRef { return signingKeyRef(e.KeyID) }
