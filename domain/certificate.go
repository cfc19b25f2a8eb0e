package domain

import (
	"fmt"
	"slices"
	"time"
)

// CertStatus is the state of a certificate in its lifecycle.
type CertStatus string

// The states of a certificate. A certificate that was never requested has the empty status.
const (
	StatusPendingApproval CertStatus = "pending_approval"
	StatusApproved        CertStatus = "approved"
	StatusRejected        CertStatus = "rejected"
	StatusIssued          CertStatus = "issued"
	StatusSuperseded      CertStatus = "superseded"
	StatusRevoked         CertStatus = "revoked"
	StatusExpired         CertStatus = "expired"
)

// Certificate is the certificate aggregate, rebuilt from its stream's events. Its state changes
// only by applying events; its decisions return new events.
type Certificate struct {
	req          CertificateRequested
	status       CertStatus
	issued       CertificateIssued
	supersededBy string
	revoked      CertificateRevoked
	rejection    string
	signing      signings
	warned       map[int]bool // the expiry warning thresholds crossed, in days before the end
	renewal      renewalState
	version      int
}

// NewCertificateFromHistory folds a certificate stream's events into a Certificate. An empty
// history gives a certificate that was never requested, on which only Request decides.
func NewCertificateFromHistory(history []Event) (*Certificate, error) {
	c := &Certificate{}
	for _, e := range history {
		if err := c.Apply(e); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Apply changes the certificate's state by one of its events, refusing transitions the
// lifecycle does not allow and events of other certificates.
func (c *Certificate) Apply(e Event) error {
	if c.signing.apply(e) {
		c.version++
		return nil
	}
	t, ok := lifecycle[e.EventType()]
	if !ok {
		return fmt.Errorf("apply %s to certificate %q: not a certificate event", e.EventType(), c.req.CertificateID)
	}
	if !slices.Contains(t.from, c.status) {
		return fmt.Errorf("apply %s to certificate %q in state %q: illegal transition", e.EventType(), c.req.CertificateID, c.status)
	}
	if id := e.Aggregate().ID; c.status != "" && id != c.req.CertificateID {
		return fmt.Errorf("apply %s for certificate %q to certificate %q", e.EventType(), id, c.req.CertificateID)
	}
	switch e := e.(type) {
	case CertificateRequested:
		c.req = e
	case CertificateRejected:
		c.rejection = e.Reason
	case CertificateIssued:
		c.issued = e
		c.signing.finish(e.Serial)
	case CertificateRenewed:
		c.supersededBy = e.SupersededBy
	case CertificateRevoked:
		c.revoked = e
	case CertificateExpiryWarned:
		if c.warned == nil {
			c.warned = map[int]bool{}
		}
		c.warned[e.DaysBefore] = true
	case RenewalDue:
		c.renewal.due = &e
	case RenewalFailed:
		c.renewal.failures = e.Attempt
	case CertificateApproved, CertificateExpired:
		// The status is all they change.
	default:
		return fmt.Errorf("apply %T to certificate %q: not a certificate event value", e, c.req.CertificateID)
	}
	c.status = t.to
	c.version++
	return nil
}

// checkTransition returns a KindNotFound or KindConflict error when the certificate's state
// does not allow an event of type eventType.
func (c *Certificate) checkTransition(eventType, action string) error {
	if c.status == "" && eventType != TypeCertificateRequested {
		return notFoundf("cannot %s: certificate does not exist", action)
	}
	if c.status == StatusRevoked && eventType == TypeCertificateRevoked {
		return conflictf("cannot revoke certificate %s: it was already revoked at %s (%s)",
			c.req.CertificateID, c.revoked.RevokedAt.Format(time.RFC3339), c.revoked.Reason)
	}
	if !slices.Contains(lifecycle[eventType].from, c.status) {
		return conflictf("cannot %s certificate %s: it is %s", action, c.req.CertificateID, c.status)
	}
	return nil
}
