package wire

import "time"

// CreateCARequest is the body of POST /cas: a root CA, or an intermediate under ParentID.
type CreateCARequest struct {
	Name         string `json:"name"`
	CommonName   string `json:"common_name"`
	KeyAlgorithm string `json:"key_algorithm"` // ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, rsa-4096, ed25519
	// ParentID makes an intermediate CA signed by that CA; empty makes a root.
	ParentID string `json:"parent_id,omitempty"`
	// ValidityDays defaults to 3650 for a root and 1825 for an intermediate.
	ValidityDays int `json:"validity_days,omitempty"`
	// PathLen is the basic constraints path length; nil: 1 for a root, 0 for an intermediate.
	PathLen *int `json:"path_len,omitempty"`
	// CRLPartitions (2–256) splits the CA's CRL into partitions, each certificate naming its
	// own (/crl/{ca}/p{k}.crl); 0 or 1 means one CRL.
	CRLPartitions int `json:"crl_partitions,omitempty"`
}

// Decision is the body of the revoke routes and of approve, reject and issue: why, and for a
// revocation for keyCompromise, when the key is known to have been compromised.
type Decision struct {
	// Reason is why; for a revocation an RFC 5280 reason name, such as keyCompromise.
	Reason         string     `json:"reason,omitempty"`
	InvalidityDate *time.Time `json:"invalidity_date,omitempty"`
}

// CA is a CA as its event stream has it: the answer of creating, showing and revoking one.
type CA struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	CommonName   string    `json:"common_name"`
	KeyAlgorithm string    `json:"key_algorithm"`
	ParentID     string    `json:"parent_id,omitempty"`
	Status       string    `json:"status"`
	Serial       string    `json:"serial"`
	NotBefore    time.Time `json:"not_before"`
	NotAfter     time.Time `json:"not_after"`
	// KeyLabel names the CA's key pair in the HSM; shown to SEC_OPS and ADMIN only.
	KeyLabel string `json:"key_label,omitempty"`
	// CRLPartitions is how many partitions the CA's CRL has; absent when it has one CRL.
	CRLPartitions int    `json:"crl_partitions,omitempty"`
	Certificate   string `json:"certificate"` // PEM
	// Revision is the revision of the CA's stream, the ETag and the value for If-Match.
	Revision uint64 `json:"revision"`
}

// CAListItem is a CA as the inventory (the PKI read model) lists it.
type CAListItem struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	CommonName string `json:"common_name"`
	KeyType    string `json:"key_type"`
	// KeyLabel is empty unless the caller is SEC_OPS or ADMIN.
	KeyLabel  string    `json:"key_label"`
	ParentID  string    `json:"parent_id,omitempty"`
	Status    string    `json:"status"`
	Serial    string    `json:"serial"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	// CertificateDER is always null in lists: certificates are downloaded from
	// /cas/{id}/certificate.
	CertificateDER []byte `json:"certificate_der"`
	// ResponderSerial is the serial of the CA's current delegated OCSP responder certificate.
	ResponderSerial string `json:"responder_serial,omitempty"`
	// ResponderKeyLabel is shown to SEC_OPS and ADMIN only.
	ResponderKeyLabel string     `json:"responder_key_label,omitempty"`
	ResponderNotAfter *time.Time `json:"responder_not_after,omitempty"`
	CreatedAt         time.Time  `json:"created_at"`
	RevokedAt         *time.Time `json:"revoked_at,omitempty"`
	RevocationReason  *int       `json:"revocation_reason,omitempty"` // RFC 5280 CRLReason code
	CRLPartitions     int        `json:"crl_partitions,omitempty"`
	// CRLURL is the CRL distribution point the CA's certificates name.
	CRLURL string `json:"crl_url"`
	// Position is the $all position of the last event that changed the CA.
	Position int64 `json:"position"`
}

// CAList is the answer of GET /cas.
type CAList struct {
	Items []CAListItem `json:"items"`
}
