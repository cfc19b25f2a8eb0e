package domain

import "time"

// The renewal event types, on a certificate's stream; a name never changes.
const (
	// TypeRenewalDue records that an issued certificate's renewal is due under its profile.
	TypeRenewalDue = "RenewalDue"
	// TypeRenewalFailed records that an automatic renewal attempt failed.
	TypeRenewalFailed = "RenewalFailed"
)

// RenewalDue records, once per certificate, that its renewal is due under its profile's
// renewal policy. SIEMs, webhooks and agents see it like any event; the renewal scheduler acts
// on it when Mode is automatic.
type RenewalDue struct {
	CertificateID string `json:"certificate_id"`
	// Mode is the profile's renewal mode when the renewal became due (RenewalNotify, ...).
	Mode     string    `json:"mode"`
	DueAt    time.Time `json:"due_at"`
	NotAfter time.Time `json:"not_after"`
	// RecordedAt is when the scheduler saw it due (at or after DueAt).
	RecordedAt time.Time `json:"recorded_at"`
}

// EventType returns TypeRenewalDue.
func (RenewalDue) EventType() string { return TypeRenewalDue }

// Aggregate returns the certificate.
func (e RenewalDue) Aggregate() AggregateRef { return certificateRef(e.CertificateID) }

// RenewalFailed records the failure of the Attempt-th automatic renewal of a certificate, and
// when the scheduler tries again. It is a finding: the inventory lists it, SIEMs carry it.
type RenewalFailed struct {
	CertificateID string    `json:"certificate_id"`
	Attempt       int       `json:"attempt"`
	Reason        string    `json:"reason"`
	NextAttemptAt time.Time `json:"next_attempt_at"`
	FailedAt      time.Time `json:"failed_at"`
}

// EventType returns TypeRenewalFailed.
func (RenewalFailed) EventType() string { return TypeRenewalFailed }

// Aggregate returns the certificate.
func (e RenewalFailed) Aggregate() AggregateRef { return certificateRef(e.CertificateID) }
