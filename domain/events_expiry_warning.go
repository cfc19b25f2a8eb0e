package domain

import "time"

// CertificateExpiryWarned records that an issued certificate crossed one of the warning
// thresholds before its end (DaysBefore days before NotAfter): SIEMs and webhooks carry it like
// any event, and it is recorded once per certificate and threshold.
type CertificateExpiryWarned struct {
	CertificateID string    `json:"certificate_id"`
	DaysBefore    int       `json:"days_before"`
	NotAfter      time.Time `json:"not_after"`
	WarnedAt      time.Time `json:"warned_at"`
}

// EventType returns TypeCertificateExpiryWarned.
func (CertificateExpiryWarned) EventType() string { return TypeCertificateExpiryWarned }

// Aggregate returns the certificate.
func (e CertificateExpiryWarned) Aggregate() AggregateRef { return certificateRef(e.CertificateID) }

// DefaultExpiryWarnings are the thresholds, in days before not_after, at which the ledger warns.
var DefaultExpiryWarnings = []int{30, 7, 1}

// WarnExpiry decides the warning of an issued certificate at a threshold: none when the
// certificate is not within daysBefore days of its end yet, or was warned at that threshold
// already (a sweep may ask again). Only issued certificates are warned.
func (c *Certificate) WarnExpiry(daysBefore int, at time.Time) ([]Event, error) {
	if err := c.checkTransition(TypeCertificateExpiryWarned, "warn of expiry"); err != nil {
		return nil, err
	}
	switch {
	case daysBefore < 1 || daysBefore > 3650:
		return nil, invalidf("an expiry warning threshold is 1 to 3650 days, not %d", daysBefore)
	case c.warned[daysBefore] || !at.Before(c.issued.NotAfter):
		return nil, nil
	case c.issued.NotAfter.Sub(at) > time.Duration(daysBefore)*24*time.Hour:
		return nil, nil
	}
	return []Event{CertificateExpiryWarned{CertificateID: c.req.CertificateID, DaysBefore: daysBefore,
		NotAfter: c.issued.NotAfter.UTC(), WarnedAt: at.UTC()}}, nil
}
