package domain

import (
	"time"

	"github.com/google/uuid"
)

// Renew decides, on an issued certificate, that the certificate newCertID supersedes it. Call
// it once the new certificate is issued; a superseded certificate stays valid until it is
// revoked or expires. SEC_OPS and DEVOPS of the certificate's team may renew.
func (c *Certificate) Renew(newCertID string, by Actor, at time.Time) ([]Event, error) {
	if !c.Exists() {
		return nil, notFoundf("cannot renew: certificate does not exist")
	}
	override, err := authorizeManagement(by, c.req.Team, "renew certificate")
	if err != nil {
		return nil, err
	}
	if c.status == StatusSuperseded {
		return nil, conflictf("cannot renew certificate %s: it was already renewed by %s", c.req.CertificateID, c.supersededBy)
	}
	if err := c.checkTransition(TypeCertificateRenewed, "renew"); err != nil {
		return nil, err
	}
	if _, err := uuid.Parse(newCertID); err != nil || newCertID == c.req.CertificateID {
		return nil, invalidf("new certificate id %q is not a UUID other than the renewed certificate's", newCertID)
	}
	return []Event{CertificateRenewed{
		CertificateID: c.req.CertificateID, SupersededBy: newCertID, Override: override, RenewedAt: at.UTC(),
	}}, nil
}

// Revoke decides the revocation of an issued or superseded certificate with an RFC 5280
// reason. An invalidity date is allowed only with keyCompromise; certificateHold and
// removeFromCRL are refused. Revoking twice is a KindConflict error. SEC_OPS and DEVOPS of the
// certificate's team may revoke.
func (c *Certificate) Revoke(reason RevocationReason, invalidityDate *time.Time, by Actor, at time.Time) ([]Event, error) {
	if !c.Exists() {
		return nil, notFoundf("cannot revoke: certificate does not exist")
	}
	override, err := authorizeManagement(by, c.req.Team, "revoke certificate")
	if err != nil {
		return nil, err
	}
	if err := c.checkTransition(TypeCertificateRevoked, "revoke"); err != nil {
		return nil, err
	}
	if err := checkRevocation(reason, invalidityDate, at); err != nil {
		return nil, err
	}
	return []Event{CertificateRevoked{
		CertificateID: c.req.CertificateID, CAID: c.issued.CAID, Serial: c.issued.Serial, Reason: reason,
		InvalidityDate: utcPtr(invalidityDate), Override: override, RevokedAt: at.UTC(),
	}}, nil
}

// Expire decides that an issued or superseded certificate has expired; at must not be before
// its NotAfter. It is a system decision and takes no actor.
func (c *Certificate) Expire(at time.Time) ([]Event, error) {
	if err := c.checkTransition(TypeCertificateExpired, "expire"); err != nil {
		return nil, err
	}
	if at.Before(c.issued.NotAfter) {
		return nil, conflictf("cannot expire certificate %s: it is valid until %s",
			c.req.CertificateID, c.issued.NotAfter.Format(time.RFC3339))
	}
	return []Event{CertificateExpired{CertificateID: c.req.CertificateID, ExpiredAt: at.UTC()}}, nil
}
