package domain

import (
	"time"
)

// The renewal modes of a profile: what the ledger does once a certificate's renewal is due.
const (
	// RenewalNotify only records that the renewal is due (RenewalDue); someone renews by hand.
	RenewalNotify = "notify"
	// RenewalReuseCSR has the ledger renew by itself with the request on record (the same key),
	// for certificates whose key and CSR were made outside any agent.
	RenewalReuseCSR = "reuse_csr"
	// RenewalAgent leaves the renewal to the agent the certificate is deployed by: it re-keys
	// and asks for the renewal. The ledger hands the due renewal to its agent renewer.
	RenewalAgent = "agent"
)

// DefaultRenewalFraction is the share of a certificate's lifetime after which its renewal is
// due when the profile says nothing else.
const DefaultRenewalFraction = 2.0 / 3.0

// RenewalPolicy is the part of a profile that says when its certificates are renewed and how.
// It is stored in the profile events' spec as it is (renewal, omitted when nil), so profiles
// defined before it existed decode with the defaults.
type RenewalPolicy struct {
	// LifetimeFraction is the share of the lifetime after which the renewal is due, above 0 and
	// below 1; 0 means DefaultRenewalFraction.
	LifetimeFraction float64 `json:"lifetime_fraction,omitempty"`
	// DaysBefore, when set, makes the renewal due that many days before the end if that comes
	// before the lifetime fraction.
	DaysBefore int `json:"days_before,omitempty"`
	// Mode is RenewalNotify (the default when empty), RenewalReuseCSR or RenewalAgent.
	Mode string `json:"mode,omitempty"`
	// RevokeSuperseded revokes a renewed certificate with the reason superseded once its
	// successor is issued.
	RevokeSuperseded bool `json:"revoke_superseded,omitempty"`
}

// withDefaults fills in what the policy leaves unset.
func (r RenewalPolicy) withDefaults() RenewalPolicy {
	if r.LifetimeFraction == 0 {
		r.LifetimeFraction = DefaultRenewalFraction
	}
	if r.Mode == "" {
		r.Mode = RenewalNotify
	}
	return r
}

// DueAt returns when the renewal of a certificate valid from notBefore to notAfter is due:
// the earlier of the lifetime fraction and DaysBefore days before the end.
func (r RenewalPolicy) DueAt(notBefore, notAfter time.Time) time.Time {
	r = r.withDefaults()
	life := notAfter.Sub(notBefore)
	due := notBefore.Add(time.Duration(float64(life) * r.LifetimeFraction))
	if r.DaysBefore > 0 {
		if byDays := notAfter.AddDate(0, 0, -r.DaysBefore); byDays.Before(due) {
			due = byDays
		}
	}
	return due.UTC()
}

// Automatic reports whether the ledger acts on a due renewal by itself or through an agent.
func (r RenewalPolicy) Automatic() bool {
	m := r.withDefaults().Mode
	return m == RenewalReuseCSR || m == RenewalAgent
}

// check lists what is wrong with the policy.
func (r RenewalPolicy) check() []Violation {
	var vs []Violation
	if r.LifetimeFraction < 0 || r.LifetimeFraction >= 1 {
		vs = append(vs, violation("renewal.lifetime_fraction", "range",
			"renewal lifetime fraction %g is not above 0 and below 1", r.LifetimeFraction))
	}
	if r.DaysBefore < 0 || r.DaysBefore > MaxProfileValidityDays {
		vs = append(vs, violation("renewal.days_before", "range",
			"renewal days before expiry %d is not between 0 and %d", r.DaysBefore, MaxProfileValidityDays))
	}
	switch r.Mode {
	case "", RenewalNotify, RenewalReuseCSR, RenewalAgent:
	default:
		vs = append(vs, violation("renewal.mode", "unknown",
			"renewal mode %q is not %s, %s or %s", r.Mode, RenewalNotify, RenewalReuseCSR, RenewalAgent))
	}
	return vs
}

// Renewal returns the profile's renewal policy with its defaults filled in.
func (p Profile) Renewal() RenewalPolicy {
	if p.spec.Renewal == nil {
		return RenewalPolicy{}.withDefaults()
	}
	return p.spec.Renewal.withDefaults()
}

// RenewalBackoff is how long the ledger waits after the attempt-th failed automatic renewal
// before the next: a minute, doubling, at most six hours.
func RenewalBackoff(attempt int) time.Duration {
	d := time.Minute
	for i := 1; i < attempt && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}
