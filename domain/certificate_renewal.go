package domain

import "time"

// maxRenewalReason bounds the reason a RenewalFailed records.
const maxRenewalReason = 500

// renewalState is what a certificate's stream says about its renewal.
type renewalState struct {
	due      *RenewalDue
	failures int
}

// RenewalDueRecorded returns the RenewalDue of the certificate, and false when none is recorded.
func (c *Certificate) RenewalDueRecorded() (RenewalDue, bool) {
	if c.renewal.due == nil {
		return RenewalDue{}, false
	}
	return *c.renewal.due, true
}

// RenewalFailures returns the number of failed automatic renewal attempts recorded.
func (c *Certificate) RenewalFailures() int { return c.renewal.failures }

// DueRenewal decides that an issued certificate's renewal is due under policy at time at: no
// event before the policy's due time, nor when a RenewalDue is recorded already (a scheduler
// may ask again, after a restart too). It is a system decision and takes no actor.
func (c *Certificate) DueRenewal(policy RenewalPolicy, at time.Time) ([]Event, error) {
	if err := c.checkTransition(TypeRenewalDue, "record the renewal due of"); err != nil {
		return nil, err
	}
	due := policy.DueAt(c.issued.NotBefore, c.issued.NotAfter)
	if c.renewal.due != nil || at.Before(due) {
		return nil, nil
	}
	return []Event{RenewalDue{CertificateID: c.req.CertificateID, Mode: policy.withDefaults().Mode, DueAt: due,
		NotAfter: c.issued.NotAfter.UTC(), RecordedAt: at.UTC()}}, nil
}

// FailRenewal decides the record of the attempt-th failed automatic renewal, with the next
// attempt after RenewalBackoff(attempt). An attempt recorded already decides nothing, so a
// scheduler retrying the record appends it once; attempts are numbered from 1 without gaps.
func (c *Certificate) FailRenewal(attempt int, reason string, at time.Time) ([]Event, error) {
	if err := c.checkTransition(TypeRenewalFailed, "record a failed renewal of"); err != nil {
		return nil, err
	}
	switch {
	case c.renewal.due == nil:
		return nil, conflictf("certificate %s has no renewal due", c.req.CertificateID)
	case attempt <= c.renewal.failures:
		return nil, nil
	case attempt != c.renewal.failures+1:
		return nil, conflictf("certificate %s: renewal attempt %d follows attempt %d", c.req.CertificateID, attempt, c.renewal.failures)
	}
	if len(reason) > maxRenewalReason {
		reason = reason[:maxRenewalReason]
	}
	return []Event{RenewalFailed{CertificateID: c.req.CertificateID, Attempt: attempt, Reason: reason,
		NextAttemptAt: at.Add(RenewalBackoff(attempt)).UTC(), FailedAt: at.UTC()}}, nil
}
