package domain

import (
	"fmt"
	"slices"
	"time"
)

// The statuses of an ACME order and of its authorizations (RFC 8555 §7.1.6).
const (
	ACMEPending    = "pending"
	ACMEReady      = "ready"
	ACMEProcessing = "processing"
	ACMEValid      = "valid"
	ACMEInvalid    = "invalid"
)

// ACMEOrderLifetime is how long an order and its authorizations may be worked on.
const ACMEOrderLifetime = 7 * 24 * time.Hour

// ACMEOrder is an ACME order folded from its stream, with its authorizations and challenges.
//
// Invariants: the stream starts with one ACMEOrderCreated whose identifiers all passed the
// profile's policy; each authorization gets at most one result (validated or failed) while the
// order is pending; one failed challenge makes the order invalid for good; the order is ready
// once every authorization is valid, and only a ready order is finalized, once, with the id of
// the certificate its CSR was requested as.
type ACMEOrder struct {
	created ACMEOrderCreated
	authz   []string // status of each authorization
	failure *ACMEChallengeFailed
	certID  string
	version int
}

// NewACMEOrderFromHistory folds an ACME order stream's events.
func NewACMEOrderFromHistory(history []Event) (*ACMEOrder, error) {
	o := &ACMEOrder{}
	for _, e := range history {
		if err := o.Apply(e); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// Apply changes the order by one of its events, refusing events out of order.
func (o *ACMEOrder) Apply(e Event) error {
	if o.Exists() && e.Aggregate().ID != o.ID() {
		return fmt.Errorf("apply %s for ACME order %q to ACME order %q", e.EventType(), e.Aggregate().ID, o.ID())
	}
	bad := func(why string) error {
		return fmt.Errorf("apply %s to ACME order %q: %s", e.EventType(), o.ID(), why)
	}
	switch e := e.(type) {
	case ACMEOrderCreated:
		if o.Exists() {
			return bad("already created")
		}
		o.created, o.authz = e, make([]string, len(e.Authorizations))
		for i := range o.authz {
			o.authz[i] = ACMEPending
		}
	case ACMEChallengeValidated:
		if o.Status() != ACMEPending || !o.authzPending(e.Authorization) {
			return bad("the authorization is not pending")
		}
		o.authz[e.Authorization] = ACMEValid
	case ACMEChallengeFailed:
		if o.Status() != ACMEPending || !o.authzPending(e.Authorization) {
			return bad("the authorization is not pending")
		}
		o.authz[e.Authorization], o.failure = ACMEInvalid, &e
	case ACMEOrderFinalized:
		if o.Status() != ACMEReady {
			return bad("the order is not ready")
		}
		o.certID = e.CertificateID
	default:
		return bad("not an ACME order event")
	}
	o.version++
	return nil
}

func (o *ACMEOrder) authzPending(i int) bool {
	return i >= 0 && i < len(o.authz) && o.authz[i] == ACMEPending
}

// Exists reports whether the order was created.
func (o *ACMEOrder) Exists() bool { return o.created.OrderID != "" }

// ID returns the order's id.
func (o *ACMEOrder) ID() string { return o.created.OrderID }

// Created returns the event that created the order: its account, provisioner, identifiers and
// authorizations.
func (o *ACMEOrder) Created() ACMEOrderCreated {
	c := o.created
	c.Identifiers, c.Authorizations = slices.Clone(c.Identifiers), slices.Clone(c.Authorizations)
	return c
}

// Status is the order's status as far as its stream knows: invalid after a failed challenge,
// pending until every authorization is valid, then ready, and processing once finalized (the
// certificate's own stream tells whether it is issued, which makes the order valid).
func (o *ACMEOrder) Status() string {
	switch {
	case !o.Exists():
		return ""
	case o.failure != nil:
		return ACMEInvalid
	case o.certID != "":
		return ACMEProcessing
	case slices.ContainsFunc(o.authz, func(s string) bool { return s != ACMEValid }):
		return ACMEPending
	}
	return ACMEReady
}

// AuthorizationStatus returns the status of authorization i, "" when there is none.
func (o *ACMEOrder) AuthorizationStatus(i int) string {
	if i < 0 || i >= len(o.authz) {
		return ""
	}
	return o.authz[i]
}

// Failure returns the failed challenge that made the order invalid, if any.
func (o *ACMEOrder) Failure() (ACMEChallengeFailed, bool) {
	if o.failure == nil {
		return ACMEChallengeFailed{}, false
	}
	return *o.failure, true
}

// CertificateID returns the id of the certificate the order was finalized with, "" before.
func (o *ACMEOrder) CertificateID() string { return o.certID }
