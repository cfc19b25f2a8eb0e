package domain

import (
	"crypto"
	"math/big"
	"time"
)

// PrepareCreate runs every check of a CA's creation (see CreateRoot and CreateIntermediate)
// before anything is signed and returns the CA certificate to sign, by the parent's key or,
// for a root (parent nil), by the CA's own, with the intent that announces it.
func (ca *CA) PrepareCreate(spec CASpec, parent *CA, pub crypto.PublicKey, serial *big.Int, by Actor, at time.Time) (Prepared, error) {
	if _, err := ca.checkCreate(spec, parent, by, at); err != nil {
		return Prepared{}, err
	}
	tmpl, err := CATemplate(CATemplateInput{Spec: spec, Serial: serial, PublicKey: pub, Parent: parent, At: at})
	if err != nil {
		return Prepared{}, err
	}
	p := Prepared{Template: tmpl, Parent: tmpl, PublicKey: pub, SignerLabel: spec.HSMKeyLabel}
	signedBy := spec.ID
	if parent != nil {
		p.Parent, p.SignerLabel, signedBy = parent.Certificate(), parent.HSMKeyLabel(), parent.ID()
	}
	return ca.signing.announce(p, SigningStarted{Subject: spec.ID, CAID: signedBy, Serial: serial.Text(16), Purpose: PurposeCA}, at)
}

// PrepareResponder checks that the CA can certify a delegated OCSP responder for pub now and
// returns the responder certificate to sign with the intent that announces it.
func (ca *CA) PrepareResponder(pub crypto.PublicKey, serial *big.Int, at time.Time) (Prepared, error) {
	tmpl, err := ResponderTemplate(ca, serial, pub, at)
	if err != nil {
		return Prepared{}, err
	}
	p := Prepared{Template: tmpl, Parent: ca.Certificate(), PublicKey: pub, SignerLabel: ca.HSMKeyLabel()}
	return ca.signing.announce(p, SigningStarted{Subject: ca.ID(), CAID: ca.ID(), Serial: serial.Text(16), Purpose: PurposeResponder}, at)
}
