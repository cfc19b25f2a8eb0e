package domain

import (
	"fmt"
	"time"
)

// ACMEEABKeyInput is what SEC_OPS asks for when it mints an External Account Binding key.
type ACMEEABKeyInput struct {
	KeyID, Provisioner, Team string
	// KeySHA256 is the lower-case hex SHA-256 of the HMAC key; the key itself is never recorded.
	KeySHA256 string
}

// ACMEEABKey is an External Account Binding key (RFC 8555 §7.3.4) folded from its stream. The
// zero ACMEEABKey has not been minted; only Mint decides on it.
//
// Invariants: the stream holds one ACMEEABKeyMinted, by SEC_OPS (or ADMIN), for one
// provisioner and one team, then at most one ACMEEABKeyBound: a key binds one account, once,
// and that account acts for the key's team. The stream never holds the HMAC key, only its
// SHA-256.
type ACMEEABKey struct {
	minted  ACMEEABKeyMinted
	boundTo string
	version int
}

// NewACMEEABKeyFromHistory folds an EAB key stream's events.
func NewACMEEABKeyFromHistory(history []Event) (*ACMEEABKey, error) {
	k := &ACMEEABKey{}
	for _, e := range history {
		if err := k.Apply(e); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// Apply changes the key by one of its events: minted once, then bound at most once.
func (k *ACMEEABKey) Apply(e Event) error {
	switch e := e.(type) {
	case ACMEEABKeyMinted:
		if k.Exists() {
			return fmt.Errorf("apply ACMEEABKeyMinted %q: EAB key already minted", e.KeyID)
		}
		k.minted = e
	case ACMEEABKeyBound:
		if !k.Exists() || k.boundTo != "" {
			return fmt.Errorf("apply ACMEEABKeyBound to EAB key %q: not minted or already bound", k.ID())
		}
		k.boundTo = e.AccountID
	default:
		return fmt.Errorf("apply %s to EAB key %q: not an EAB key event", e.EventType(), k.ID())
	}
	k.version++
	return nil
}

// Mint decides a new EAB key for a provisioner's accounts acting for team; only SEC_OPS (or an
// ADMIN override) mints them.
func (k *ACMEEABKey) Mint(in ACMEEABKeyInput, by Actor, at time.Time) ([]Event, error) {
	if k.Exists() {
		return nil, conflictf("EAB key %s already exists", k.ID())
	}
	var vs []Violation
	if in.Provisioner == "" {
		vs = append(vs, violation("provisioner", "required", "an EAB key is for one ACME provisioner"))
	}
	if in.Team == "" {
		vs = append(vs, violation("team", "required", "an EAB key binds accounts to one team"))
	}
	if len(in.KeySHA256) != 64 {
		vs = append(vs, violation("key", "required", "the HMAC key's SHA-256 is missing"))
	}
	if err := violations(KindInvalid, "invalid EAB key", vs); err != nil {
		return nil, err
	}
	override, err := authorizeAdministration(by, "mint ACME EAB key")
	if err != nil {
		return nil, err
	}
	return []Event{ACMEEABKeyMinted{KeyID: in.KeyID, Provisioner: in.Provisioner, Team: in.Team,
		KeySHA256: in.KeySHA256, MintedBy: by.Subject, Override: override, MintedAt: at.UTC()}}, nil
}

// Bind decides binding the key to an ACME account registering at provisioner with a key whose
// HMAC hashes to keySHA256. Binding the account it is bound to already decides nothing; any
// other account, another provisioner or another HMAC key is refused (KindForbidden).
func (k *ACMEEABKey) Bind(accountID, provisioner, keySHA256 string, at time.Time) ([]Event, error) {
	switch {
	case !k.Exists():
		return nil, forbiddenf("no EAB key %s", k.ID())
	case k.minted.Provisioner != provisioner:
		return nil, forbiddenf("EAB key %s is not for provisioner %s", k.ID(), provisioner)
	case k.minted.KeySHA256 != keySHA256:
		return nil, forbiddenf("EAB key %s: the HMAC key is not the one minted", k.ID())
	case k.boundTo == accountID:
		return nil, nil
	case k.boundTo != "":
		return nil, forbiddenf("EAB key %s is bound to another account already", k.ID())
	}
	return []Event{ACMEEABKeyBound{KeyID: k.ID(), AccountID: accountID, BoundAt: at.UTC()}}, nil
}

// Exists reports whether the key was minted.
func (k *ACMEEABKey) Exists() bool { return k.minted.KeyID != "" }

// ID returns the key id.
func (k *ACMEEABKey) ID() string { return k.minted.KeyID }

// Team returns the team the key binds accounts to.
func (k *ACMEEABKey) Team() string { return k.minted.Team }

// Provisioner returns the provisioner the key is for.
func (k *ACMEEABKey) Provisioner() string { return k.minted.Provisioner }

// BoundTo returns the account the key is bound to, "" before.
func (k *ACMEEABKey) BoundTo() string { return k.boundTo }
