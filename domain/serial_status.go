package domain

import "time"

// SerialKind is what the ledger says of a serial number under a CA, in the three statuses of
// RFC 6960 (OCSP).
type SerialKind int

// The three statuses of a serial number.
const (
	// SerialGood is a certificate the CA signed and nobody revoked: a certificate issued,
	// superseded or expired (an expired one keeps its last status), an intermediate CA or the
	// CA's responder certificate.
	SerialGood SerialKind = iota
	// SerialRevoked is a revoked certificate.
	SerialRevoked
	// SerialUnknown is a serial number the ledger has no record of under that CA.
	SerialUnknown
)

// SerialStatus is a serial number's status; RevokedAt and Reason are set only when Kind is
// SerialRevoked.
type SerialStatus struct {
	Kind      SerialKind
	RevokedAt time.Time
	Reason    RevocationReason
}
