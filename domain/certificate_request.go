package domain

import (
	"time"

	"github.com/google/uuid"
)

// maxTextLen bounds owners and reasons.
const maxTextLen = 1024

// RequestInput is what a certificate request decides on.
type RequestInput struct {
	// CertificateID is the new certificate's id, a UUID.
	CertificateID string
	// CSR is the parsed, signature-checked request.
	CSR *CSR
	// Profile is the profile to check the request against.
	Profile *Profile
	// CA is the CA asked to issue; it must be able to issue now.
	CA *CA
	// Team owns the certificate; empty means the requester's team.
	Team string
	// Owner is a free-form contact within the team.
	Owner string
	// ValidityDays is the requested validity.
	ValidityDays int
	// Renews, if set, is the issued certificate the new one is to replace.
	Renews *Certificate
	// Override asks to accept a request that breaks the profile; only ADMIN may ask.
	Override bool
}

// Request decides a new certificate request. It returns CertificateRequested, followed by an
// automatic CertificateApproved when the profile needs no approval or the requester is DEVOPS
// of the profile's team. A request that breaks the profile is a KindPolicy error listing
// every violation, unless an ADMIN asks for Override: then the violations are recorded.
func (c *Certificate) Request(in RequestInput, by Actor, at time.Time) ([]Event, error) {
	if in.Profile == nil || !in.Profile.Defined() {
		return nil, notFoundf("certificate profile does not exist")
	}
	if in.CA == nil || !in.CA.Exists() {
		return nil, notFoundf("CA does not exist")
	}
	team := in.Team
	if team == "" {
		team = by.Team
	}
	override, err := authorizeRequest(by, in.Profile, team)
	if err != nil {
		return nil, err
	}
	if in.Override && !by.Has(RoleAdmin) {
		return nil, forbiddenf("request certificate: only ADMIN may override the profile's policy")
	}
	if err := c.checkTransition(TypeCertificateRequested, "request"); err != nil {
		return nil, err
	}
	if err := checkRequestInput(in); err != nil {
		return nil, err
	}
	if err := in.CA.CheckCanIssue(at); err != nil {
		return nil, err
	}
	if in.Renews != nil && in.Renews.Status() != StatusIssued {
		return nil, conflictf("cannot renew certificate %s: it is %s", in.Renews.ID(), in.Renews.Status())
	}
	vs := in.Profile.Check(in.CSR, in.ValidityDays)
	if len(vs) > 0 && !in.Override {
		return nil, violations(KindPolicy, "certificate request breaks profile "+in.Profile.Name(), vs)
	}
	req := requestedEvent(in, team, by, at)
	req.Override = override || len(vs) > 0
	req.OverriddenViolations = vs
	out := []Event{req}
	if autoApproves(by, in.Profile) {
		out = append(out, CertificateApproved{CertificateID: in.CertificateID, Auto: true, ApprovedAt: at.UTC()})
	}
	return out, nil
}

func checkRequestInput(in RequestInput) error {
	switch {
	case in.CSR == nil:
		return invalidf("the request has no CSR")
	case in.ValidityDays < 1:
		return invalidf("validity of %d days is not positive", in.ValidityDays)
	case len(in.Owner) > maxTextLen:
		return invalidf("owner is longer than %d bytes", maxTextLen)
	case in.Renews != nil && in.Renews.ID() == in.CertificateID:
		return invalidf("a certificate cannot renew itself")
	}
	if _, err := uuid.Parse(in.CertificateID); err != nil {
		return invalidf("certificate id %q is not a UUID", in.CertificateID)
	}
	return nil
}

func requestedEvent(in RequestInput, team string, by Actor, at time.Time) CertificateRequested {
	e := CertificateRequested{
		CertificateID: in.CertificateID, CAID: in.CA.ID(), ProfileID: in.Profile.ID(), ProfileName: in.Profile.Name(),
		Team: team, Owner: in.Owner, RequestedBy: by.Subject, CSRPEM: in.CSR.PEM(),
		CommonName: in.CSR.CommonName(), DNSNames: in.CSR.DNSNames(), IPAddresses: in.CSR.ipStrings(),
		EmailAddresses: in.CSR.EmailAddresses(), URIs: in.CSR.uriStrings(), KeyType: in.CSR.KeyType(),
		ValidityDays: in.ValidityDays, RequestedAt: at.UTC(),
	}
	if in.Renews != nil {
		e.Renews = in.Renews.ID()
	}
	return e
}

// Approve decides the manual approval of a pending request. SEC_OPS may approve requests it did
// not make; ADMIN may approve any, marked as an override.
func (c *Certificate) Approve(by Actor, at time.Time, reason string) ([]Event, error) {
	if !c.Exists() {
		return nil, notFoundf("cannot approve: certificate does not exist")
	}
	override, err := authorizeApproval(by, c.req.RequestedBy)
	if err != nil {
		return nil, err
	}
	if err := c.checkTransition(TypeCertificateApproved, "approve"); err != nil {
		return nil, err
	}
	if len(reason) > maxTextLen {
		return nil, invalidf("reason is longer than %d bytes", maxTextLen)
	}
	return []Event{CertificateApproved{
		CertificateID: c.req.CertificateID, Reason: reason, Override: override, ApprovedAt: at.UTC(),
	}}, nil
}

// Reject decides the rejection of a pending request; a reason is required.
func (c *Certificate) Reject(by Actor, at time.Time, reason string) ([]Event, error) {
	if !c.Exists() {
		return nil, notFoundf("cannot reject: certificate does not exist")
	}
	override, err := authorizeRejection(by)
	if err != nil {
		return nil, err
	}
	if err := c.checkTransition(TypeCertificateRejected, "reject"); err != nil {
		return nil, err
	}
	if reason == "" || len(reason) > maxTextLen {
		return nil, invalidf("a rejection needs a reason of 1 to %d bytes", maxTextLen)
	}
	return []Event{CertificateRejected{
		CertificateID: c.req.CertificateID, Reason: reason, Override: override, RejectedAt: at.UTC(),
	}}, nil
}
