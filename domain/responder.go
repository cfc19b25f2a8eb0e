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

// CAResponderCertified records a new delegated OCSP responder certificate for a CA, whose key
// is in the HSM under KeyLabel. It replaces any earlier one.
type CAResponderCertified struct {
	CAID           string    `json:"ca_id"`
	KeyLabel       string    `json:"key_label"`
	Serial         string    `json:"serial"`
	CertificateDER []byte    `json:"certificate_der"`
	NotAfter       time.Time `json:"not_after"`
	CertifiedAt    time.Time `json:"certified_at"`
}

// EventType returns TypeCAResponderCertified.
func (CAResponderCertified) EventType() string { return TypeCAResponderCertified }

// Aggregate returns the CA.
func (e CAResponderCertified) Aggregate() AggregateRef { return caRef(e.CAID) }

// ResponderTemplate returns the template of a CA's delegated OCSP responder certificate:
// id-kp-OCSPSigning, digitalSignature, id-pkix-ocsp-nocheck, valid ResponderValidityDays and
// never past the CA's own certificate.
func ResponderTemplate(ca *CA, serial *big.Int, pub crypto.PublicKey, at time.Time) (*x509.Certificate, error) {
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
	null, _ := asn1.Marshal(asn1.NullRawValue)
	notBefore, notAfter := ValidityWindow(at, ResponderValidityDays)
	if notAfter.After(ca.NotAfter()) {
		notAfter = ca.NotAfter()
	}
	return &x509.Certificate{
		SerialNumber:    new(big.Int).Set(serial),
		Subject:         pkix.Name{CommonName: ca.CommonName() + " OCSP Responder"},
		NotBefore:       notBefore,
		NotAfter:        notAfter,
		KeyUsage:        x509.KeyUsageDigitalSignature,
		ExtKeyUsage:     []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning},
		SubjectKeyId:    ski,
		AuthorityKeyId:  ca.Certificate().SubjectKeyId,
		ExtraExtensions: []pkix.Extension{{Id: oidOCSPNoCheck, Value: null}},
	}, nil
}

// CertifyResponder decides that certDER, signed by the CA after PrepareResponder announced
// its serial, is its delegated OCSP responder
// certificate from now on. It is a housekeeping decision of the ledger itself, not of a user.
func (ca *CA) CertifyResponder(certDER []byte, keyLabel string, at time.Time) ([]Event, error) {
	if err := ca.CheckCanIssue(at); err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(certDER)
	if err != nil {
		return nil, invalidf("responder certificate: %v", err)
	}
	switch {
	case cert.CheckSignatureFrom(ca.Certificate()) != nil:
		return nil, invalidf("responder certificate is not signed by CA %s", ca.ID())
	case cert.IsCA || !slices.Contains(cert.ExtKeyUsage, x509.ExtKeyUsageOCSPSigning):
		return nil, invalidf("responder certificate must be an end entity with id-kp-OCSPSigning")
	case !bytes.Equal(cert.RawIssuer, ca.Certificate().RawSubject):
		return nil, invalidf("responder certificate's issuer is not CA %s", ca.ID())
	}
	if err := ca.signing.check(cert.SerialNumber.Text(16)); err != nil {
		return nil, err
	}
	return []Event{CAResponderCertified{CAID: ca.ID(), KeyLabel: keyLabel, Serial: cert.SerialNumber.Text(16),
		CertificateDER: certDER, NotAfter: cert.NotAfter.UTC(), CertifiedAt: at.UTC()}}, nil
}
