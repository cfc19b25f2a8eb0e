package domain

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"math/big"
	"time"
)

// SCEPRAValidityDays is how long a CA's SCEP RA certificate is valid; the ledger certifies a
// new one when less than SCEPRARenewBefore of it is left.
const (
	SCEPRAValidityDays = 365
	SCEPRARenewBefore  = 30 * 24 * time.Hour
)

// CASCEPRACertified records a new SCEP registration authority certificate of a CA (RFC 8894
// §2.1): the RSA key in the HSM under KeyLabel that SCEP clients encrypt their requests to and
// that signs the answers. It replaces any earlier one.
type CASCEPRACertified struct{ CADelegate }

// EventType returns TypeCASCEPRACertified.
func (CASCEPRACertified) EventType() string { return TypeCASCEPRACertified }

// Aggregate returns the CA.
func (e CASCEPRACertified) Aggregate() AggregateRef { return caRef(e.CAID) }

// SCEPRATemplate returns the template of a CA's SCEP RA certificate: an RSA key (SCEP clients
// encrypt to it), digitalSignature and keyEncipherment, valid SCEPRAValidityDays and never past
// the CA's own certificate.
func SCEPRATemplate(ca *CA, serial *big.Int, pub crypto.PublicKey, at time.Time) (*x509.Certificate, error) {
	if _, ok := pub.(*rsa.PublicKey); !ok {
		return nil, invalidf("a SCEP RA key must be RSA: SCEP clients encrypt their requests to it")
	}
	tmpl, err := delegateTemplate(ca, serial, pub, at, SCEPRAValidityDays, ca.CommonName()+" SCEP RA")
	if err != nil {
		return nil, err
	}
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	return tmpl, nil
}

// PrepareSCEPRA checks that the CA can certify a SCEP RA for pub now and returns the RA
// certificate to sign with the intent that announces it.
func (ca *CA) PrepareSCEPRA(pub crypto.PublicKey, serial *big.Int, at time.Time) (Prepared, error) {
	tmpl, err := SCEPRATemplate(ca, serial, pub, at)
	if err != nil {
		return Prepared{}, err
	}
	p := Prepared{Template: tmpl, Parent: ca.Certificate(), PublicKey: pub, SignerLabel: ca.HSMKeyLabel()}
	return ca.signing.announce(p, SigningStarted{Subject: ca.ID(), CAID: ca.ID(), Serial: serial.Text(16), Purpose: PurposeSCEPRA}, at)
}

// CertifySCEPRA decides that certDER, signed by the CA after PrepareSCEPRA announced its
// serial, is its SCEP RA certificate from now on. It is a housekeeping decision of the ledger.
func (ca *CA) CertifySCEPRA(certDER []byte, keyLabel string, at time.Time) ([]Event, error) {
	d, err := ca.checkDelegate(certDER, keyLabel, "SCEP RA", at, func(c *x509.Certificate) bool {
		return c.KeyUsage&x509.KeyUsageKeyEncipherment != 0
	}, "an end entity with keyEncipherment")
	if err != nil {
		return nil, err
	}
	return []Event{CASCEPRACertified{d}}, nil
}

// SCEPRA returns the CA's current SCEP RA certificate and its HSM key label; ok is false when
// none was certified yet.
func (ca *CA) SCEPRA() (certDER []byte, keyLabel string, notAfter time.Time, ok bool) {
	if ca.scepRA == nil {
		return nil, "", time.Time{}, false
	}
	return ca.scepRA.CertificateDER, ca.scepRA.KeyLabel, ca.scepRA.NotAfter, true
}
