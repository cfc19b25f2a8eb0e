package domain

import (
	"crypto/x509"
	"fmt"
	"time"
)

// CAStatus is the state of a CA.
type CAStatus string

// The states of a CA. A CA that does not exist yet has the empty status.
const (
	CAStatusActive  CAStatus = "active"
	CAStatusRevoked CAStatus = "revoked"
)

// CA is a certificate authority aggregate, rebuilt from its stream's events. Its state changes
// only by applying events; its decisions return new events.
type CA struct {
	details   CADetails
	parentID  string
	cert      *x509.Certificate
	status    CAStatus
	responder *CAResponderCertified // the current delegated OCSP responder, if any
	scepRA    *CASCEPRACertified    // the current SCEP RA, if any
	revokedAt time.Time
	reason    RevocationReason
	signing   signings
	version   int
}

// NewCAFromHistory folds a CA stream's events into a CA. An empty history gives a CA that
// does not exist yet, on which only CreateRoot and CreateIntermediate decide.
func NewCAFromHistory(history []Event) (*CA, error) {
	ca := &CA{}
	for _, e := range history {
		if err := ca.Apply(e); err != nil {
			return nil, err
		}
	}
	return ca, nil
}

// Apply changes the CA's state by one of its events. It refuses events out of order, for
// another CA, or of another aggregate.
func (ca *CA) Apply(e Event) error {
	if ca.signing.apply(e) {
		ca.version++
		return nil
	}
	switch e := e.(type) {
	case CARootCreated:
		return ca.applyCreated(e.CADetails, "")
	case CAIntermediateCreated:
		return ca.applyCreated(e.CADetails, e.ParentID)
	case CARevoked:
		if ca.status != CAStatusActive || e.CAID != ca.details.CAID {
			return fmt.Errorf("apply CARevoked to CA %q in state %q: out of order or for CA %q", ca.details.CAID, ca.status, e.CAID)
		}
		ca.status, ca.revokedAt, ca.reason = CAStatusRevoked, e.RevokedAt, e.Reason
	case CAResponderCertified:
		if ca.status == "" || e.CAID != ca.details.CAID {
			return fmt.Errorf("apply CAResponderCertified to CA %q: no such CA or for CA %q", ca.details.CAID, e.CAID)
		}
		ca.responder = &e
		ca.signing.finish(e.Serial)
	case CASCEPRACertified:
		if ca.status == "" || e.CAID != ca.details.CAID {
			return fmt.Errorf("apply CASCEPRACertified to CA %q: no such CA or for CA %q", ca.details.CAID, e.CAID)
		}
		ca.scepRA = &e
		ca.signing.finish(e.Serial)
	default:
		return fmt.Errorf("apply %s to CA %q: not a CA event", e.EventType(), ca.details.CAID)
	}
	ca.version++
	return nil
}

func (ca *CA) applyCreated(d CADetails, parentID string) error {
	if ca.status != "" {
		return fmt.Errorf("apply creation of CA %q: CA %q already exists", d.CAID, ca.details.CAID)
	}
	cert, err := x509.ParseCertificate(d.CertificateDER)
	if err != nil {
		return fmt.Errorf("apply creation of CA %q: stored certificate: %w", d.CAID, err)
	}
	ca.details, ca.parentID, ca.cert, ca.status = d, parentID, cert, CAStatusActive
	ca.signing.finish(d.Serial)
	ca.version++
	return nil
}

// Responder returns the CA's current delegated OCSP responder certificate and its HSM key
// label; ok is false when none was certified yet.
func (ca *CA) Responder() (certDER []byte, keyLabel string, notAfter time.Time, ok bool) {
	if ca.responder == nil {
		return nil, "", time.Time{}, false
	}
	return ca.responder.CertificateDER, ca.responder.KeyLabel, ca.responder.NotAfter, true
}

// Exists reports whether the CA has been created.
func (ca *CA) Exists() bool { return ca.status != "" }

// Version returns the number of events applied.
func (ca *CA) Version() int { return ca.version }

// ID returns the CA's id.
func (ca *CA) ID() string { return ca.details.CAID }

// Name returns the CA's display name.
func (ca *CA) Name() string { return ca.details.Name }

// CommonName returns the CA certificate's subject common name.
func (ca *CA) CommonName() string { return ca.details.CommonName }

// KeyType returns the type of the CA's key.
func (ca *CA) KeyType() KeyType { return ca.details.KeyType }

// HSMKeyLabel returns the label of the CA's key pair in the HSM.
func (ca *CA) HSMKeyLabel() string { return ca.details.HSMKeyLabel }

// PathLen returns the CA certificate's path length constraint.
func (ca *CA) PathLen() int { return ca.details.PathLen }

// ParentID returns the id of the parent CA, empty for a root.
func (ca *CA) ParentID() string { return ca.parentID }

// IsRoot reports whether the CA is a self-signed root.
func (ca *CA) IsRoot() bool { return ca.Exists() && ca.parentID == "" }

// CRLURL returns the CRL distribution point for certificates the CA issues.
func (ca *CA) CRLURL() string { return ca.details.CRLURL }

// CRLPartitions returns how many partitions the CA's CRL has; 0 or 1 means it is not
// partitioned.
func (ca *CA) CRLPartitions() int { return ca.details.CRLPartitions }

// OCSPURL returns the OCSP responder URL for certificates the CA issues.
func (ca *CA) OCSPURL() string { return ca.details.OCSPURL }

// IssuerURL returns the CA-issuers URL for certificates the CA issues, or "".
func (ca *CA) IssuerURL() string { return ca.details.IssuerURL }

// Serial returns the CA certificate's serial in lower-case hexadecimal.
func (ca *CA) Serial() string { return ca.details.Serial }

// Certificate returns the parsed CA certificate; callers must not modify it.
func (ca *CA) Certificate() *x509.Certificate { return ca.cert }

// CertificateDER returns the CA certificate's DER encoding.
func (ca *CA) CertificateDER() []byte { return append([]byte(nil), ca.details.CertificateDER...) }

// NotAfter returns the end of the CA certificate's validity.
func (ca *CA) NotAfter() time.Time { return ca.details.NotAfter }

// Status returns the CA's state, empty when it does not exist.
func (ca *CA) Status() CAStatus { return ca.status }

// RevokedAt returns when the CA was revoked, and its reason; zero values if it was not.
func (ca *CA) RevokedAt() (time.Time, RevocationReason) { return ca.revokedAt, ca.reason }
