package domain

import "time"

// The ACME account lifecycle and External Account Binding event types. EAB keys are on
// "acmeeab-<key id>".
const (
	TypeACMEEABKeyMinted       = "ACMEEABKeyMinted"
	TypeACMEEABKeyBound        = "ACMEEABKeyBound"
	TypeACMEAccountKeyChanged  = "ACMEAccountKeyChanged"
	TypeACMEAccountKeyAdopted  = "ACMEAccountKeyAdopted"
	TypeACMEAccountDeactivated = "ACMEAccountDeactivated"
)

// acmeAccountEvents are the events of EAB keys and of an account after its registration.
var acmeAccountEvents = []EventSpec{specOf[ACMEEABKeyMinted](), specOf[ACMEEABKeyBound](),
	specOf[ACMEAccountKeyChanged](), specOf[ACMEAccountKeyAdopted](), specOf[ACMEAccountDeactivated]()}

func acmeEABRef(id string) AggregateRef { return AggregateRef{Category: CategoryACMEEAB, ID: id} }
func acmeAccountRef(id string) AggregateRef {
	return AggregateRef{Category: CategoryACMEAccount, ID: id}
}

// ACMEEABKeyMinted records an External Account Binding key that SEC_OPS minted for the
// accounts of a provisioner acting for a team: its id and the SHA-256 of its HMAC key, never
// the key.
type ACMEEABKeyMinted struct {
	KeyID       string    `json:"key_id"`
	Provisioner string    `json:"provisioner"`
	Team        string    `json:"team"`
	KeySHA256   string    `json:"key_sha256"`
	MintedBy    string    `json:"minted_by"`
	Override    bool      `json:"override,omitempty"`
	MintedAt    time.Time `json:"minted_at"`
}

// EventType returns TypeACMEEABKeyMinted.
func (ACMEEABKeyMinted) EventType() string { return TypeACMEEABKeyMinted }

// Aggregate returns the EAB key.
func (e ACMEEABKeyMinted) Aggregate() AggregateRef { return acmeEABRef(e.KeyID) }

// ACMEEABKeyBound records the one account an EAB key bound.
type ACMEEABKeyBound struct {
	KeyID     string    `json:"key_id"`
	AccountID string    `json:"account_id"`
	BoundAt   time.Time `json:"bound_at"`
}

// EventType returns TypeACMEEABKeyBound.
func (ACMEEABKeyBound) EventType() string { return TypeACMEEABKeyBound }

// Aggregate returns the EAB key.
func (e ACMEEABKeyBound) Aggregate() AggregateRef { return acmeEABRef(e.KeyID) }

// ACMEAccountKeyChanged records an account key rollover (RFC 8555 §7.3.5): from then on only
// the new key signs for the account.
type ACMEAccountKeyChanged struct {
	AccountID     string    `json:"account_id"`
	OldThumbprint string    `json:"old_thumbprint"`
	Thumbprint    string    `json:"thumbprint"`
	KeyJWK        []byte    `json:"key_jwk"`
	ChangedAt     time.Time `json:"changed_at"`
}

// EventType returns TypeACMEAccountKeyChanged.
func (ACMEAccountKeyChanged) EventType() string { return TypeACMEAccountKeyChanged }

// Aggregate returns the ACME account.
func (e ACMEAccountKeyChanged) Aggregate() AggregateRef { return acmeAccountRef(e.AccountID) }

// ACMEAccountKeyAdopted claims, on the stream a key's thumbprint derives (KeyStreamID), that
// the key now belongs to the account AccountID, so that newAccount finds that account by the
// key and no other account can be registered with it.
type ACMEAccountKeyAdopted struct {
	KeyStreamID string    `json:"key_stream_id"`
	AccountID   string    `json:"account_id"`
	Thumbprint  string    `json:"thumbprint"`
	AdoptedAt   time.Time `json:"adopted_at"`
}

// EventType returns TypeACMEAccountKeyAdopted.
func (ACMEAccountKeyAdopted) EventType() string { return TypeACMEAccountKeyAdopted }

// Aggregate returns the stream of the key's thumbprint.
func (e ACMEAccountKeyAdopted) Aggregate() AggregateRef { return acmeAccountRef(e.KeyStreamID) }

// ACMEAccountDeactivated records that a client deactivated its account (RFC 8555 §7.3.6): it
// can no longer be used, for good.
type ACMEAccountDeactivated struct {
	AccountID     string    `json:"account_id"`
	DeactivatedAt time.Time `json:"deactivated_at"`
}

// EventType returns TypeACMEAccountDeactivated.
func (ACMEAccountDeactivated) EventType() string { return TypeACMEAccountDeactivated }

// Aggregate returns the ACME account.
func (e ACMEAccountDeactivated) Aggregate() AggregateRef { return acmeAccountRef(e.AccountID) }
