package domain

import (
	"slices"
	"time"
)

// Exists reports whether the certificate was requested.
func (c *Certificate) Exists() bool { return c.status != "" }

// Version returns the number of events applied.
func (c *Certificate) Version() int { return c.version }

// ID returns the certificate's id.
func (c *Certificate) ID() string { return c.req.CertificateID }

// Status returns the certificate's state, empty when it was never requested.
func (c *Certificate) Status() CertStatus { return c.status }

// CAID returns the id of the CA asked to issue.
func (c *Certificate) CAID() string { return c.req.CAID }

// ProfileID returns the id of the profile the request was checked against.
func (c *Certificate) ProfileID() string { return c.req.ProfileID }

// ProfileName returns the name of the profile the request was checked against.
func (c *Certificate) ProfileName() string { return c.req.ProfileName }

// Team returns the team that owns the certificate.
func (c *Certificate) Team() string { return c.req.Team }

// Owner returns the certificate's owner within its team.
func (c *Certificate) Owner() string { return c.req.Owner }

// RequestedBy returns the subject of the requester.
func (c *Certificate) RequestedBy() string { return c.req.RequestedBy }

// CommonName returns the requested common name.
func (c *Certificate) CommonName() string { return c.req.CommonName }

// DNSNames returns the requested DNS names.
func (c *Certificate) DNSNames() []string { return slices.Clone(c.req.DNSNames) }

// ValidityDays returns the requested validity.
func (c *Certificate) ValidityDays() int { return c.req.ValidityDays }

// Renews returns the id of the certificate this one replaces, or "".
func (c *Certificate) Renews() string { return c.req.Renews }

// CSRPEM returns the request in canonical PEM form.
func (c *Certificate) CSRPEM() string { return c.req.CSRPEM }

// CSR parses the recorded request again, for building the certificate to issue; its
// signature was verified when it was requested.
func (c *Certificate) CSR() (*CSR, error) {
	if !c.Exists() {
		return nil, notFoundf("certificate does not exist")
	}
	return recordedCSR([]byte(c.req.CSRPEM))
}

// RejectionReason returns why the request was rejected, or "".
func (c *Certificate) RejectionReason() string { return c.rejection }

// Serial returns the issued certificate's serial in lower-case hexadecimal, or "".
func (c *Certificate) Serial() string { return c.issued.Serial }

// CertificateDER returns the issued certificate, or nil.
func (c *Certificate) CertificateDER() []byte { return slices.Clone(c.issued.CertificateDER) }

// NotBefore returns the start of the issued certificate's validity, or the zero time.
func (c *Certificate) NotBefore() time.Time { return c.issued.NotBefore }

// NotAfter returns the end of the issued certificate's validity, or the zero time.
func (c *Certificate) NotAfter() time.Time { return c.issued.NotAfter }

// SupersededBy returns the id of the certificate that renewed this one, or "".
func (c *Certificate) SupersededBy() string { return c.supersededBy }

// Revocation returns the revocation event, and false when the certificate is not revoked.
func (c *Certificate) Revocation() (CertificateRevoked, bool) {
	return c.revoked, c.status == StatusRevoked
}
