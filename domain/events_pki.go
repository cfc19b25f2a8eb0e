package domain

import (
	"time"
)

// The CA and profile event types, as stored with every event and hashed into its stream's
// chain: a name never changes.
const (
	TypeCARootCreated         = "CARootCreated"
	TypeCAIntermediateCreated = "CAIntermediateCreated"
	TypeCARevoked             = "CARevoked"
	TypeCAResponderCertified  = "CAResponderCertified"
	TypeCASCEPRACertified     = "CASCEPRACertified"
	TypeProfileDefined        = "ProfileDefined"
	TypeProfileUpdated        = "ProfileUpdated"
)

// caEvents and profileEvents are the events of a CA's stream, besides the signing events, and
// of a profile's.
var (
	caEvents = []EventSpec{specOf[CARootCreated](), specOf[CAIntermediateCreated](), specOf[CARevoked](),
		specOf[CAResponderCertified](), specOf[CASCEPRACertified]()}
	profileEvents = []EventSpec{specOf[ProfileDefined](), specOf[ProfileUpdated]()}
)

func caRef(id string) AggregateRef { return AggregateRef{Category: CategoryCA, ID: id} }

// CADetails are the facts recorded when a CA is created.
type CADetails struct {
	// CAID is the CA's id, a UUID.
	CAID string `json:"ca_id"`
	// Name is the CA's display name.
	Name string `json:"name"`
	// CommonName is the subject common name of the CA certificate.
	CommonName string `json:"common_name"`
	// KeyType is the type of the CA's signing key.
	KeyType KeyType `json:"key_type"`
	// HSMKeyLabel is the label of the CA's key pair in the HSM.
	HSMKeyLabel string `json:"hsm_key_label"`
	// PathLen is the CA certificate's path length constraint.
	PathLen int `json:"path_len"`
	// CRLURL is the CRL distribution point put into certificates the CA issues.
	CRLURL string `json:"crl_url"`
	// OCSPURL is the OCSP responder URL put into certificates the CA issues.
	OCSPURL string `json:"ocsp_url"`
	// IssuerURL, when set, is the CA-issuers URL put into certificates the CA issues.
	IssuerURL string `json:"issuer_url,omitempty"`
	// CRLPartitions is how many partitions the CA's CRL is split into; 0 or 1 means one CRL.
	// Certificates the CA issues name their partition's URL (CRLPartitionURL).
	CRLPartitions int `json:"crl_partitions,omitempty"`
	// Serial is the CA certificate's serial number in lower-case hexadecimal.
	Serial string `json:"serial"`
	// CertificateDER is the CA certificate.
	CertificateDER []byte `json:"certificate_der"`
	// NotBefore and NotAfter bound the CA certificate's validity.
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	// CreatedAt is when the CA was created.
	CreatedAt time.Time `json:"created_at"`
	// Override is true when only the ADMIN role allowed the creation.
	Override bool `json:"override"`
}

// CARootCreated records a new self-signed root CA.
type CARootCreated struct {
	CADetails
}

// EventType returns TypeCARootCreated.
func (CARootCreated) EventType() string { return TypeCARootCreated }

// Aggregate returns the CA.
func (e CARootCreated) Aggregate() AggregateRef { return caRef(e.CAID) }

// CAIntermediateCreated records a new intermediate CA signed by its parent CA.
type CAIntermediateCreated struct {
	CADetails
	// ParentID is the id of the CA that signed this one.
	ParentID string `json:"parent_id"`
}

// EventType returns TypeCAIntermediateCreated.
func (CAIntermediateCreated) EventType() string { return TypeCAIntermediateCreated }

// Aggregate returns the CA.
func (e CAIntermediateCreated) Aggregate() AggregateRef { return caRef(e.CAID) }

// CARevoked records the revocation of a CA. The parent's CRL lists the CA's serial; a revoked
// root is no longer trusted by the ledger.
type CARevoked struct {
	CAID string `json:"ca_id"`
	// ParentID is the id of the CA's parent, empty for a root.
	ParentID string `json:"parent_id,omitempty"`
	// Serial is the CA certificate's serial number in lower-case hexadecimal.
	Serial string `json:"serial"`
	// Reason is the RFC 5280 revocation reason.
	Reason RevocationReason `json:"reason"`
	// InvalidityDate, for keyCompromise, is when the key is known or suspected to have been
	// compromised.
	InvalidityDate *time.Time `json:"invalidity_date,omitempty"`
	RevokedAt      time.Time  `json:"revoked_at"`
	Override       bool       `json:"override"`
}

// EventType returns TypeCARevoked.
func (CARevoked) EventType() string { return TypeCARevoked }

// Aggregate returns the CA.
func (e CARevoked) Aggregate() AggregateRef { return caRef(e.CAID) }

// ProfileDefined records a new certificate profile.
type ProfileDefined struct {
	ProfileID string      `json:"profile_id"`
	Spec      ProfileSpec `json:"spec"`
	DefinedAt time.Time   `json:"defined_at"`
	Override  bool        `json:"override"`
}

// EventType returns TypeProfileDefined.
func (ProfileDefined) EventType() string { return TypeProfileDefined }

// Aggregate returns the profile.
func (e ProfileDefined) Aggregate() AggregateRef {
	return AggregateRef{Category: CategoryProfile, ID: e.ProfileID}
}

// ProfileUpdated records a profile's new spec, which replaces the previous one whole.
type ProfileUpdated struct {
	ProfileID string      `json:"profile_id"`
	Spec      ProfileSpec `json:"spec"`
	UpdatedAt time.Time   `json:"updated_at"`
	Override  bool        `json:"override"`
}

// EventType returns TypeProfileUpdated.
func (ProfileUpdated) EventType() string { return TypeProfileUpdated }

// Aggregate returns the profile.
func (e ProfileUpdated) Aggregate() AggregateRef {
	return AggregateRef{Category: CategoryProfile, ID: e.ProfileID}
}
