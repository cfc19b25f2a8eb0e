package wire

import "time"

// CertificateRequest is the body of POST /certificates.
type CertificateRequest struct {
	CAID    string `json:"ca_id"`
	Profile string `json:"profile"`
	CSR     string `json:"csr"` // PEM
	Team    string `json:"team,omitempty"`
	Owner   string `json:"owner,omitempty"`
	// ValidityDays defaults to 90.
	ValidityDays int `json:"validity_days,omitempty"`
	// Override, for ADMIN, issues despite the profile's violations; the events record it.
	Override bool `json:"override,omitempty"`
}

// RenewalRequest is the body of POST /certificates/{id}/renew.
type RenewalRequest struct {
	CSR string `json:"csr"` // PEM, for the new key
	// ValidityDays 0 is the old certificate's requested validity.
	ValidityDays int `json:"validity_days,omitempty"`
}

// Certificate is a certificate as its event stream has it. Serial, NotBefore, NotAfter and
// Certificate are empty until it is issued.
type Certificate struct {
	ID          string     `json:"id"`
	Status      string     `json:"status"` // pending_approval, approved, rejected, issued, superseded, revoked, expired
	Serial      string     `json:"serial,omitempty"`
	CAID        string     `json:"ca_id"`
	Profile     string     `json:"profile"`
	Team        string     `json:"team"`
	Owner       string     `json:"owner,omitempty"`
	CommonName  string     `json:"common_name"`
	DNSNames    []string   `json:"dns_names"`
	NotBefore   *time.Time `json:"not_before,omitempty"`
	NotAfter    *time.Time `json:"not_after,omitempty"`
	Certificate string     `json:"certificate,omitempty"` // PEM
	// SupersededBy is the certificate that renewed this one.
	SupersededBy string `json:"superseded_by,omitempty"`
	// Renewal is set once the renewal is due under the profile's policy.
	Renewal *CertificateRenewal `json:"renewal,omitempty"`
	// Revision is the revision of the certificate's stream, the ETag and the value for If-Match.
	Revision uint64 `json:"revision"`
}

// CertificateRenewal is a certificate's renewal as its stream has it: due since DueAt under
// the profile's mode, and the automatic attempts that failed.
type CertificateRenewal struct {
	DueAt          time.Time `json:"due_at"`
	Mode           string    `json:"mode"`
	FailedAttempts int       `json:"failed_attempts"`
}

// CertificateListItem is a certificate as the inventory (the PKI read model) lists it. The
// fields describing the issued certificate are empty until it is issued.
type CertificateListItem struct {
	ID                 string     `json:"id"`
	CAID               string     `json:"ca_id"`
	Serial             string     `json:"serial,omitempty"` // lower-case hexadecimal
	SubjectCN          string     `json:"subject_cn"`
	SANs               []string   `json:"sans"` // DNS names, IP addresses, emails and URIs
	DNSNames           []string   `json:"dns_names"`
	KeyType            string     `json:"key_type"`
	KeyBits            int        `json:"key_bits"`
	SignatureAlgorithm string     `json:"signature_algorithm,omitempty"`
	NotBefore          *time.Time `json:"not_before,omitempty"`
	NotAfter           *time.Time `json:"not_after,omitempty"`
	Status             string     `json:"status"`
	Profile            string     `json:"profile"`
	Team               string     `json:"team"`
	Owner              string     `json:"owner"`
	RequestedBy        string     `json:"requested_by"`                 // the requester's subject
	FingerprintSHA256  string     `json:"fingerprint_sha256,omitempty"` // lower-case hex of the DER's SHA-256
	Renews             string     `json:"renews,omitempty"`             // the certificate this one renews
	SupersededBy       string     `json:"superseded_by,omitempty"`      // the certificate that renewed this one
	RequestedAt        time.Time  `json:"requested_at"`
	IssuedAt           *time.Time `json:"issued_at,omitempty"`
	RevokedAt          *time.Time `json:"revoked_at,omitempty"`
	RevocationReason   *int       `json:"revocation_reason,omitempty"` // RFC 5280 CRLReason code
	InvalidityDate     *time.Time `json:"invalidity_date,omitempty"`
	UpdatedAt          time.Time  `json:"updated_at"`
	// Position is the $all position of the last event that changed the certificate.
	Position int64 `json:"position"`
}

// CertificateList is a page of GET /certificates; NextCursor is "" on the last page.
type CertificateList struct {
	Items      []CertificateListItem `json:"items"`
	NextCursor string                `json:"next_cursor"`
}
