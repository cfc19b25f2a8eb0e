package domain

import (
	"time"
)

// CheckRotate says whether by may rotate the key to successorID now: ADMIN (or an override)
// on an active or disabled key. done is true when the key was rotated to successorID already
// (a replay, which changes nothing). It is checked before the successor is generated, so that
// nothing is made in the HSM for a refused rotation.
func (k *SigningKey) CheckRotate(by Actor, successorID string) (done bool, err error) {
	if k.status == KeyStatusRotated && k.rotated.SuccessorID == successorID {
		_, err := authorizeAdministration(by, "rotate signing key")
		return err == nil, err
	}
	_, err = k.checkLifecycle(by, "rotate", KeyStatusActive, KeyStatusDisabled)
	return false, err
}

// SuccessorSpec is the spec of the key that replaces this one: a new id and HSM label, the
// same name, team, usage, algorithm, common name, validity and policy, under the same CA.
func (k *SigningKey) SuccessorSpec(id, label string) SigningKeySpec {
	days := int(k.cert.NotAfter.Sub(k.cert.NotBefore).Round(24*time.Hour) / (24 * time.Hour))
	p := k.created.Policy
	return SigningKeySpec{ID: id, Name: k.created.Name, Team: k.created.Team, Usage: k.created.Usage, KeyType: k.created.KeyType,
		HSMKeyLabel: label, CommonName: k.cert.Subject.CommonName, ValidityDays: max(days, 1), Policy: p}
}

// Rotate decides that successor replaces the key: it signs nothing from then on, and its
// certificate stays valid for what it signed. successor must be a key of the same team and
// usage made for it (SuccessorSpec), able to sign.
func (k *SigningKey) Rotate(successor *SigningKey, reason string, by Actor, at time.Time) ([]Event, error) {
	override, err := k.checkLifecycle(by, "rotate", KeyStatusActive, KeyStatusDisabled)
	if err != nil {
		return nil, err
	}
	switch {
	case successor == nil || !successor.Exists():
		return nil, notFoundf("the successor of signing key %s does not exist", k.ID())
	case successor.ID() == k.ID() || successor.Team() != k.Team() || successor.Usage() != k.Usage():
		return nil, invalidf("signing key %s cannot succeed %s: not a new key of the same team and usage", successor.ID(), k.ID())
	case len(reason) > maxTextLen:
		return nil, invalidf("reason is longer than %d bytes", maxTextLen)
	}
	if err := successor.CheckCanSign(at); err != nil {
		return nil, err
	}
	return []Event{SigningKeyRotated{KeyID: k.ID(), SuccessorID: successor.ID(), Reason: reason, RotatedAt: at.UTC(),
		Override: override}}, nil
}
