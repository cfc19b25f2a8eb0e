package domain

import "time"

// The ACME event types (RFC 8555 accounts and orders), as stored with every event and hashed
// into its stream's chain: a name never changes. Accounts are on "acmeaccount-<id>", orders
// with their authorizations and challenges on "acmeorder-<id>".
const (
	TypeACMEAccountRegistered  = "ACMEAccountRegistered"
	TypeACMEOrderCreated       = "ACMEOrderCreated"
	TypeACMEChallengeValidated = "ACMEChallengeValidated"
	TypeACMEChallengeFailed    = "ACMEChallengeFailed"
	TypeACMEOrderFinalized     = "ACMEOrderFinalized"
)

// acmeEvents are the events of the ACME account and order streams.
var acmeEvents = []EventSpec{specOf[ACMEAccountRegistered](), specOf[ACMEOrderCreated](),
	specOf[ACMEChallengeValidated](), specOf[ACMEChallengeFailed](), specOf[ACMEOrderFinalized]()}

func acmeOrderRef(id string) AggregateRef { return AggregateRef{Category: CategoryACMEOrder, ID: id} }

// ACMEAccountRegistered records an ACME account: the public key that signs its requests (as a
// JWK) and its RFC 7638 SHA-256 thumbprint, bound to the provisioner's team.
type ACMEAccountRegistered struct {
	AccountID   string `json:"account_id"`
	Provisioner string `json:"provisioner"`
	Team        string `json:"team"`
	// Thumbprint is the base64url RFC 7638 SHA-256 thumbprint of KeyJWK.
	Thumbprint   string    `json:"thumbprint"`
	KeyJWK       []byte    `json:"key_jwk"`
	Contact      []string  `json:"contact"`
	EABKeyID     string    `json:"eab_key_id,omitempty"`
	RegisteredAt time.Time `json:"registered_at"`
}

// EventType returns TypeACMEAccountRegistered.
func (ACMEAccountRegistered) EventType() string { return TypeACMEAccountRegistered }

// Aggregate returns the ACME account.
func (e ACMEAccountRegistered) Aggregate() AggregateRef {
	return AggregateRef{Category: CategoryACMEAccount, ID: e.AccountID}
}

// ACMEIdentifier is an identifier an order asks for; only type "dns" exists so far.
type ACMEIdentifier struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// ACMEChallenge is one way to prove control of an authorization's identifier.
type ACMEChallenge struct {
	Type  string `json:"type"` // "http-01"
	Token string `json:"token"`
}

// ACMEAuthorization is the proof an order needs for one of its identifiers.
type ACMEAuthorization struct {
	Identifier ACMEIdentifier  `json:"identifier"`
	Challenges []ACMEChallenge `json:"challenges"`
}

// ACMEOrderCreated records an order an account placed with a provisioner: the identifiers, all
// checked against the profile, and an authorization with its challenges for each.
type ACMEOrderCreated struct {
	OrderID        string              `json:"order_id"`
	AccountID      string              `json:"account_id"`
	Provisioner    string              `json:"provisioner"`
	CAID           string              `json:"ca_id"`
	Profile        string              `json:"profile"`
	Team           string              `json:"team"`
	Identifiers    []ACMEIdentifier    `json:"identifiers"`
	Authorizations []ACMEAuthorization `json:"authorizations"`
	CreatedAt      time.Time           `json:"created_at"`
	Expires        time.Time           `json:"expires"`
}

// EventType returns TypeACMEOrderCreated.
func (ACMEOrderCreated) EventType() string { return TypeACMEOrderCreated }

// Aggregate returns the ACME order.
func (e ACMEOrderCreated) Aggregate() AggregateRef { return acmeOrderRef(e.OrderID) }

// ACMEChallengeValidated records that the ledger validated a challenge: its authorization is
// valid.
type ACMEChallengeValidated struct {
	OrderID       string    `json:"order_id"`
	Authorization int       `json:"authorization"` // index into the order's authorizations
	Challenge     string    `json:"challenge"`     // its type
	Attempts      int       `json:"attempts"`
	ValidatedAt   time.Time `json:"validated_at"`
}

// EventType returns TypeACMEChallengeValidated.
func (ACMEChallengeValidated) EventType() string { return TypeACMEChallengeValidated }

// Aggregate returns the ACME order.
func (e ACMEChallengeValidated) Aggregate() AggregateRef { return acmeOrderRef(e.OrderID) }

// ACMEChallengeFailed records that a challenge's validation failed: its authorization and the
// order are invalid for good.
type ACMEChallengeFailed struct {
	OrderID       string    `json:"order_id"`
	Authorization int       `json:"authorization"`
	Challenge     string    `json:"challenge"`
	Attempts      int       `json:"attempts"`
	ProblemType   string    `json:"problem_type"` // an ACME error type, such as "connection"
	Detail        string    `json:"detail"`
	FailedAt      time.Time `json:"failed_at"`
}

// EventType returns TypeACMEChallengeFailed.
func (ACMEChallengeFailed) EventType() string { return TypeACMEChallengeFailed }

// Aggregate returns the ACME order.
func (e ACMEChallengeFailed) Aggregate() AggregateRef { return acmeOrderRef(e.OrderID) }

// ACMEOrderFinalized records the certificate requested for a ready order's CSR, through the
// ledger's one certificate request.
type ACMEOrderFinalized struct {
	OrderID       string    `json:"order_id"`
	CertificateID string    `json:"certificate_id"`
	FinalizedAt   time.Time `json:"finalized_at"`
}

// EventType returns TypeACMEOrderFinalized.
func (ACMEOrderFinalized) EventType() string { return TypeACMEOrderFinalized }

// Aggregate returns the ACME order.
func (e ACMEOrderFinalized) Aggregate() AggregateRef { return acmeOrderRef(e.OrderID) }
