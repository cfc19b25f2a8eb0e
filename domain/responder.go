package domain

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"slices"
	"time"
)

// ResponderValidityDays is how long a delegated OCSP responder certificate is valid. It is short
// because, carrying id-pkix-ocsp-nocheck, it cannot itself be revoked.
const ResponderValidityDays = 30

// oidOCSPNoCheck is id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1).
var oidOCSPNoCheck = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 5}

// CADelegate is a certificate a CA gave a key in the HSM that acts for it (its OCSP responder,
// its SCEP RA), as the events that certify one record it.
type CADelegate struct {
	CAID           string    `json:"ca_id"`
	KeyLabel       string    `json:"key_label"`
	Serial         string    `json:"serial"`
	CertificateDER []byte    `json:"certificate_der"`
	NotAfter       time.Time `json:"not_after"`
	CertifiedAt    time.Time `json:"certified_at"`
}

// CAResponderCertified records a new delegated OCSP responder certificate for a CA, whose key
// is in the HSM under KeyLabel. It replaces any earlier one.
type CAResponderCertified struct{ CADelegate }

// EventType returns TypeCAResponderCertified.
func (CAResponderCertified) EventType() string { return TypeCAResponderCertified }

// Aggregate returns the CA.
func (e CAResponderCertified) Aggregate() AggregateRef { return caRef(e.CAID) }

// ResponderTemplate returns the template of a CA's delegated OCSP responder certificate:
// id-kp-OCSPSigning, digitalSignature, id-pkix-ocsp-nocheck, valid ResponderValidityDays and
// never past the CA's own certificate.
func ResponderTemplate(ca *CA, serial *big.Int, pub crypto.PublicKey, at time.Time) (*x509.Certificate, error) {
	tmpl, err := delegateTemplate(ca, serial, pub, at, ResponderValidityDays, ca.CommonName()+" OCSP Responder")
	if err != nil {
		return nil, err
	}
	null, _ := asn1.Marshal(asn1.NullRawValue)
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}
	tmpl.ExtraExtensions = []pkix.Extension{{Id: oidOCSPNoCheck, Value: null}}
	return tmpl, nil
}

// delegateTemplate is the common part of the certificates a CA gives the keys that act for it
// (its OCSP responder, its SCEP RA): an end entity named cn, valid days from at and never past
// the CA's own certificate, for a CA that can issue now.
func delegateTemplate(ca *CA, serial *big.Int, pub crypto.PublicKey, at time.Time, days int, cn string) (*x509.Certificate, error) {
	if err := ca.CheckCanIssue(at); err != nil {
		return nil, err
	}
	if err := CheckSerial(serial); err != nil {
		return nil, err
	}
	ski, err := SubjectKeyID(pub)
	if err != nil {
		return nil, err
	}
	notBefore, notAfter := ValidityWindow(at, days)
	if notAfter.After(ca.NotAfter()) {
		notAfter = ca.NotAfter()
	}
	return &x509.Certificate{SerialNumber: new(big.Int).Set(serial), Subject: pkix.Name{CommonName: cn},
		NotBefore: notBefore, NotAfter: notAfter, SubjectKeyId: ski, AuthorityKeyId: ca.Certificate().SubjectKeyId}, nil
}

// CertifyResponder decides that certDER, signed by the CA after PrepareResponder announced
// its serial, is its delegated OCSP responder
// certificate from now on. It is a housekeeping decision of the ledger itself, not of a user.
func (ca *CA) CertifyResponder(certDER []byte, keyLabel string, at time.Time) ([]Event, error) {
	d, err := ca.checkDelegate(certDER, keyLabel, "responder", at, func(c *x509.Certificate) bool {
		return slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageOCSPSigning)
	}, "an end entity with id-kp-OCSPSigning")
	if err != nil {
		return nil, err
	}
	return []Event{CAResponderCertified{d}}, nil
}

// checkDelegate checks a certificate the CA signed for the key under keyLabel acting for it
// (what names it): an end entity the CA signed and issued, for which fits says yes (must says
// what it must be), whose serial the CA announced. It returns the delegate to record.
func (ca *CA) checkDelegate(certDER []byte, keyLabel, what string, at time.Time, fits func(*x509.Certificate) bool, must string) (CADelegate, error) {
	if err := ca.CheckCanIssue(at); err != nil {
		return CADelegate{}, err
	}
	cert, err := x509.ParseCertificate(certDER)
	if err != nil {
		return CADelegate{}, invalidf("%s certificate: %v", what, err)
	}
	switch {
	case cert.CheckSignatureFrom(ca.Certificate()) != nil:
		return CADelegate{}, invalidf("%s certificate is not signed by CA %s", what, ca.ID())
	case cert.IsCA || !fits(cert):
		return CADelegate{}, invalidf("%s certificate must be %s", what, must)
	case !bytes.Equal(cert.RawIssuer, ca.Certificate().RawSubject):
		return CADelegate{}, invalidf("%s certificate's issuer is not CA %s", what, ca.ID())
	}
	if err := ca.signing.check(cert.SerialNumber.Text(16)); err != nil {
		return CADelegate{}, err
	}
	return CADelegate{CAID: ca.ID(), KeyLabel: keyLabel, Serial: cert.SerialNumber.Text(16), CertificateDER: certDER,
		NotAfter: cert.NotAfter.UTC(), CertifiedAt: at.UTC()}, nil
}
