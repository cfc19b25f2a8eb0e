package domain

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"math/big"
	"time"
)

// CheckSigningKeyCreation runs the checks of a signing key's creation that need neither the
// HSM nor the CA, so that nothing is generated for a refused request: who asks, and the spec.
// It returns the spec with its defaults filled in.
func CheckSigningKeyCreation(spec SigningKeySpec, by Actor) (SigningKeySpec, bool, error) {
	override, err := authorizeAdministration(by, "create signing key")
	if err != nil {
		return spec, false, err
	}
	spec, err = spec.Validate()
	return spec, override, err
}

// PrepareCreate runs every check of a signing key's creation before anything is signed and
// returns the key's certificate for issuer to sign, with the intent that announces it.
func (k *SigningKey) PrepareCreate(spec SigningKeySpec, issuer *CA, pub crypto.PublicKey, serial *big.Int, by Actor, at time.Time) (Prepared, error) {
	spec, _, err := k.checkCreate(spec, issuer, pub, by, at)
	if err != nil {
		return Prepared{}, err
	}
	tmpl, err := signingKeyTemplate(spec, issuer, pub, serial, at)
	if err != nil {
		return Prepared{}, err
	}
	p := Prepared{Template: tmpl, Parent: issuer.Certificate(), PublicKey: pub, SignerLabel: issuer.HSMKeyLabel()}
	return k.signing.announce(p, SigningStarted{Subject: spec.ID, CAID: issuer.ID(), Serial: serial.Text(16),
		Purpose: PurposeSigningKey}, at)
}

// Create decides the creation of the key with its certificate, signed by issuer after
// PrepareCreate announced its serial; chain are the certificates above issuer. The
// certificate must be the announced one, signed by issuer, for the key in the HSM (pub).
func (k *SigningKey) Create(spec SigningKeySpec, issuer *CA, chain []*x509.Certificate, pub crypto.PublicKey, der []byte, by Actor, at time.Time) ([]Event, error) {
	spec, override, err := k.checkCreate(spec, issuer, pub, by, at)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, invalidf("signing key certificate cannot be parsed: %v", err)
	}
	if err := k.signing.check(cert.SerialNumber.Text(16)); err != nil {
		return nil, err
	}
	if cert.CheckSignatureFrom(issuer.Certificate()) != nil || !bytes.Equal(cert.RawIssuer, issuer.Certificate().RawSubject) {
		return nil, invalidf("signing key certificate is not signed by CA %s", issuer.ID())
	}
	if !samePublicKey(cert.PublicKey, pub) {
		return nil, invalidf("signing key certificate does not certify the key in the HSM")
	}
	chainDER := [][]byte{issuer.CertificateDER()}
	for _, c := range chain {
		chainDER = append(chainDER, c.Raw)
	}
	return []Event{SigningKeyCreated{KeyID: spec.ID, Name: spec.Name, Team: spec.Team, Usage: spec.Usage,
		KeyType: spec.KeyType, HSMKeyLabel: spec.HSMKeyLabel, CAID: issuer.ID(), Serial: cert.SerialNumber.Text(16),
		CertificateDER: cert.Raw, ChainDER: chainDER, NotBefore: cert.NotBefore.UTC(), NotAfter: cert.NotAfter.UTC(),
		Policy: spec.Policy, CreatedAt: at.UTC(), Override: override}}, nil
}

// checkCreate is the creation's checks that need the CA and the key.
func (k *SigningKey) checkCreate(spec SigningKeySpec, issuer *CA, pub crypto.PublicKey, by Actor, at time.Time) (SigningKeySpec, bool, error) {
	spec, override, err := CheckSigningKeyCreation(spec, by)
	if err != nil {
		return spec, false, err
	}
	if k.Exists() {
		return spec, false, conflictf("signing key %s already exists", k.ID())
	}
	if issuer == nil {
		return spec, false, notFoundf("issuing CA does not exist")
	}
	if err := issuer.CheckCanIssue(at); err != nil {
		return spec, false, err
	}
	if kt := KeyTypeOf(pub); kt != spec.KeyType {
		return spec, false, invalidf("the key in the HSM is %s, not %s", kt, spec.KeyType)
	}
	return spec, override, nil
}

// samePublicKey compares two public keys of the standard library's types.
func samePublicKey(a, b crypto.PublicKey) bool {
	ka, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && ka.Equal(b)
}

// Disable decides that the key signs nothing until enabled; SEC_OPS only.
func (k *SigningKey) Disable(reason string, by Actor, at time.Time) ([]Event, error) {
	override, err := k.checkLifecycle(by, "disable", KeyStatusActive)
	if err != nil {
		return nil, err
	}
	if len(reason) > maxTextLen {
		return nil, invalidf("reason is longer than %d bytes", maxTextLen)
	}
	return []Event{SigningKeyDisabled{KeyID: k.ID(), Reason: reason, DisabledAt: at.UTC(), Override: override}}, nil
}

// Enable decides that a disabled key signs again; SEC_OPS only.
func (k *SigningKey) Enable(by Actor, at time.Time) ([]Event, error) {
	override, err := k.checkLifecycle(by, "enable", KeyStatusDisabled)
	if err != nil {
		return nil, err
	}
	return []Event{SigningKeyEnabled{KeyID: k.ID(), EnabledAt: at.UTC(), Override: override}}, nil
}

// Revoke decides the revocation of the key's certificate; the key signs nothing from then on.
func (k *SigningKey) Revoke(reason RevocationReason, invalidity *time.Time, by Actor, at time.Time) ([]Event, error) {
	override, err := k.checkLifecycle(by, "revoke", KeyStatusActive, KeyStatusDisabled, KeyStatusRotated)
	if err != nil {
		return nil, err
	}
	if reason == ReasonRemoveFromCRL || reason == ReasonCertificateHold {
		return nil, invalidf("a signing key is revoked for good: %s is not a reason here", reason)
	}
	return []Event{SigningKeyRevoked{KeyID: k.ID(), CAID: k.CAID(), Serial: k.Serial(), Reason: reason,
		InvalidityDate: utcPtr(invalidity), RevokedAt: at.UTC(), Override: override}}, nil
}

// checkLifecycle authorizes a lifecycle decision and checks the key is in one of states.
func (k *SigningKey) checkLifecycle(by Actor, action string, states ...KeyStatus) (bool, error) {
	override, err := authorizeAdministration(by, action+" signing key")
	if err != nil {
		return false, err
	}
	if !k.Exists() {
		return false, notFoundf("cannot %s: signing key does not exist", action)
	}
	if !containsStatus(states, k.status) {
		return false, conflictf("cannot %s signing key %s: it is %s", action, k.ID(), k.status)
	}
	return override, nil
}

// CheckCanSign returns nil when the key exists, is active and its certificate is valid at at.
func (k *SigningKey) CheckCanSign(at time.Time) error {
	switch {
	case !k.Exists():
		return notFoundf("signing key does not exist")
	case k.status == KeyStatusRevoked:
		return conflictf("signing key %s was revoked at %s (%s)", k.ID(), k.revoked.RevokedAt.Format(time.RFC3339), k.revoked.Reason)
	case k.status == KeyStatusDisabled:
		return conflictf("signing key %s is disabled", k.ID())
	case k.status == KeyStatusRotated:
		return conflictf("signing key %s was rotated at %s: it signs nothing more (its certificate still verifies what it signed); its successor is %s",
			k.ID(), k.rotated.RotatedAt.Format(time.RFC3339), k.rotated.SuccessorID)
	case at.Before(k.cert.NotBefore) || at.After(k.cert.NotAfter):
		return conflictf("signing key %s's certificate is not valid at %s", k.ID(), at.UTC().Format(time.RFC3339))
	}
	return nil
}
