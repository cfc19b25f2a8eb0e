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

// transition says from which states an event may move a certificate, and to which state.
type transition struct {
	from []CertStatus
	to   CertStatus
}

// lifecycle is the certificate state machine, keyed by event type. Decisions and Apply both
// follow it, so a history can only hold legal transitions.
var lifecycle = map[string]transition{
	"CertificateRequested": {[]CertStatus{""}, StatusPendingApproval},
	"CertificateApproved":  {[]CertStatus{StatusPendingApproval}, StatusApproved},
	"CertificateRejected":  {[]CertStatus{StatusPendingApproval}, StatusRejected},
	"CertificateIssued":    {[]CertStatus{StatusApproved}, StatusIssued},
	"CertificateRenewed":   {[]CertStatus{StatusIssued}, StatusSuperseded},
	"CertificateRevoked":   {[]CertStatus{StatusIssued, StatusSuperseded}, StatusRevoked},
	"CertificateExpired":   {[]CertStatus{StatusIssued, StatusSuperseded}, StatusExpired},
}

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
	e = deref(e)
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
	if id := certificateIDOf(e); c.status != "" && id != c.req.CertificateID {
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
	}
	c.status = t.to
	c.version++
	return nil
}

func certificateIDOf(e Event) string {
	switch e := e.(type) {
	case CertificateRequested:
		return e.CertificateID
	case CertificateApproved:
		return e.CertificateID
	case CertificateRejected:
		return e.CertificateID
	case CertificateIssued:
		return e.CertificateID
	case CertificateRenewed:
		return e.CertificateID
	case CertificateRevoked:
		return e.CertificateID
	case CertificateExpired:
		return e.CertificateID
	}
	return ""
}

// checkTransition returns a KindNotFound or KindConflict error when the certificate's state
// does not allow an event of type eventType.
func (c *Certificate) checkTransition(eventType, action string) error {
	if c.status == "" && eventType != "CertificateRequested" {
		return notFoundf("cannot %s: certificate does not exist", action)
	}
	if c.status == StatusRevoked && eventType == "CertificateRevoked" {
		return conflictf("cannot revoke certificate %s: it was already revoked at %s (%s)",
			c.req.CertificateID, c.revoked.RevokedAt.Format(time.RFC3339), c.revoked.Reason)
	}
	if !slices.Contains(lifecycle[eventType].from, c.status) {
		return conflictf("cannot %s certificate %s: it is %s", action, c.req.CertificateID, c.status)
	}
	return nil
}
