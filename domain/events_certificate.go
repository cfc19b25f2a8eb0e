package domain

import (
	"time"
)

// The certificate event types, as stored with every event and hashed into its stream's chain:
// a name never changes. Each has a row in the certificate's lifecycle (StatusAfter).
const (
	TypeCertificateRequested = "CertificateRequested"
	TypeCertificateApproved  = "CertificateApproved"
	TypeCertificateRejected  = "CertificateRejected"
	TypeCertificateIssued    = "CertificateIssued"
	TypeCertificateRenewed   = "CertificateRenewed"
	TypeCertificateRevoked   = "CertificateRevoked"
	TypeCertificateExpired   = "CertificateExpired"
	// TypeCertificateExpiryWarned is a warning that an issued certificate ends soon.
	TypeCertificateExpiryWarned = "CertificateExpiryWarned"
)

// certificateEvents are the events of a certificate's stream, besides the signing events.
var certificateEvents = []EventSpec{
	specOf[CertificateRequested](),
	specOf[CertificateApproved](),
	specOf[CertificateRejected](),
	specOf[CertificateIssued](),
	specOf[CertificateRenewed](),
	specOf[CertificateRevoked](),
	specOf[CertificateExpired](),
	specOf[CertificateExpiryWarned](),
	specOf[RenewalDue](),
	specOf[RenewalFailed](),
}

func certificateRef(id string) AggregateRef {
	return AggregateRef{Category: CategoryCertificate, ID: id}
}

// CertificateRequested records a checked request for a certificate.
type CertificateRequested struct {
	CertificateID string `json:"certificate_id"`
	// CAID is the CA asked to issue.
	CAID string `json:"ca_id"`
	// ProfileID and ProfileName name the profile the request was checked against.
	ProfileID   string `json:"profile_id"`
	ProfileName string `json:"profile_name"`
	// Team owns the certificate; Owner is a free-form contact within it.
	Team  string `json:"team"`
	Owner string `json:"owner"`
	// RequestedBy is the subject of the requester, kept for the four-eyes rule of approval.
	RequestedBy string `json:"requested_by"`
	// CSRPEM is the request in canonical PEM form.
	CSRPEM string `json:"csr_pem"`
	// CommonName and the SANs are what the CSR asks for, DNS names lower-cased.
	CommonName     string   `json:"common_name"`
	DNSNames       []string `json:"dns_names"`
	IPAddresses    []string `json:"ip_addresses"`
	EmailAddresses []string `json:"email_addresses"`
	URIs           []string `json:"uris"`
	KeyType        KeyType  `json:"key_type"`
	// ValidityDays is the requested validity.
	ValidityDays int `json:"validity_days"`
	// Renews is the id of the certificate this one is to replace, if any.
	Renews string `json:"renews,omitempty"`
	// Override is true when only the ADMIN role allowed the request; OverriddenViolations
	// lists the policy violations an ADMIN accepted.
	Override             bool        `json:"override"`
	OverriddenViolations []Violation `json:"overridden_violations,omitempty"`
	RequestedAt          time.Time   `json:"requested_at"`
}

// EventType returns TypeCertificateRequested.
func (CertificateRequested) EventType() string { return TypeCertificateRequested }

// Aggregate returns the certificate.
func (e CertificateRequested) Aggregate() AggregateRef { return certificateRef(e.CertificateID) }

// CertificateApproved records the approval of a request, automatic or by hand.
type CertificateApproved struct {
	CertificateID string `json:"certificate_id"`
	// Auto is true when the request needed no manual approval.
	Auto bool `json:"auto"`
	// Reason is the approver's optional comment.
	Reason     string    `json:"reason,omitempty"`
	Override   bool      `json:"override"`
	ApprovedAt time.Time `json:"approved_at"`
}

// EventType returns TypeCertificateApproved.
func (CertificateApproved) EventType() string { return TypeCertificateApproved }

// Aggregate returns the certificate.
func (e CertificateApproved) Aggregate() AggregateRef { return certificateRef(e.CertificateID) }

// CertificateRejected records the rejection of a request; a rejected request is final.
type CertificateRejected struct {
	CertificateID string    `json:"certificate_id"`
	Reason        string    `json:"reason"`
	Override      bool      `json:"override"`
	RejectedAt    time.Time `json:"rejected_at"`
}

// EventType returns TypeCertificateRejected.
func (CertificateRejected) EventType() string { return TypeCertificateRejected }

// Aggregate returns the certificate.
func (e CertificateRejected) Aggregate() AggregateRef { return certificateRef(e.CertificateID) }

// CertificateIssued records the certificate a CA signed for an approved request.
type CertificateIssued struct {
	CertificateID string `json:"certificate_id"`
	CAID          string `json:"ca_id"`
	// Serial is the serial number in lower-case hexadecimal, without leading zeros.
	Serial         string    `json:"serial"`
	CertificateDER []byte    `json:"certificate_der"`
	NotBefore      time.Time `json:"not_before"`
	NotAfter       time.Time `json:"not_after"`
	IssuedAt       time.Time `json:"issued_at"`
}

// EventType returns TypeCertificateIssued.
func (CertificateIssued) EventType() string { return TypeCertificateIssued }

// Aggregate returns the certificate.
func (e CertificateIssued) Aggregate() AggregateRef { return certificateRef(e.CertificateID) }

// CertificateRenewed records, on the old certificate, that a new one supersedes it.
type CertificateRenewed struct {
	CertificateID string `json:"certificate_id"`
	// SupersededBy is the id of the new certificate.
	SupersededBy string    `json:"superseded_by"`
	Override     bool      `json:"override"`
	RenewedAt    time.Time `json:"renewed_at"`
}

// EventType returns TypeCertificateRenewed.
func (CertificateRenewed) EventType() string { return TypeCertificateRenewed }

// Aggregate returns the certificate.
func (e CertificateRenewed) Aggregate() AggregateRef { return certificateRef(e.CertificateID) }

// CertificateRevoked records the revocation of an issued certificate.
type CertificateRevoked struct {
	CertificateID string `json:"certificate_id"`
	CAID          string `json:"ca_id"`
	Serial        string `json:"serial"`
	// Reason is the RFC 5280 revocation reason.
	Reason RevocationReason `json:"reason"`
	// InvalidityDate, for keyCompromise, is when the key is known or suspected to have been
	// compromised.
	InvalidityDate *time.Time `json:"invalidity_date,omitempty"`
	Override       bool       `json:"override"`
	RevokedAt      time.Time  `json:"revoked_at"`
}

// EventType returns TypeCertificateRevoked.
func (CertificateRevoked) EventType() string { return TypeCertificateRevoked }

// Aggregate returns the certificate.
func (e CertificateRevoked) Aggregate() AggregateRef { return certificateRef(e.CertificateID) }

// CertificateExpired records that a certificate's validity has ended.
type CertificateExpired struct {
	CertificateID string    `json:"certificate_id"`
	ExpiredAt     time.Time `json:"expired_at"`
}

// EventType returns TypeCertificateExpired.
func (CertificateExpired) EventType() string { return TypeCertificateExpired }

// Aggregate returns the certificate.
func (e CertificateExpired) Aggregate() AggregateRef { return certificateRef(e.CertificateID) }
