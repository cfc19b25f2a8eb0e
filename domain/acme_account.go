package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Bounds of an ACME account.
const (
	MaxACMEContacts = 4
	// ACMESubjectPrefix starts the subject of an ACME account's actor:
	// "acme:<provisioner>:<account id>".
	ACMESubjectPrefix = "acme:"
)

// ACMEAccountInput is what a client asks for at newAccount, with the provisioner's binding.
type ACMEAccountInput struct {
	AccountID   string
	Provisioner string
	Team        string
	Thumbprint  string
	KeyJWK      []byte
	Contact     []string
	// EABKeyID is the External Account Binding key the account was bound with, "" without.
	EABKeyID string
}

// ACMEAccount is an ACME account folded from its stream. The zero ACMEAccount does not exist;
// only Register decides on it.
//
// Invariants: an account's stream starts with one ACMEAccountRegistered, then key changes, then
// at most one ACMEAccountDeactivated, after which nothing is decided on it. Its id is derived
// from the provisioner and its first key's thumbprint; the stream a later key's thumbprint
// derives holds only an ACMEAccountKeyAdopted naming the account (AliasOf), so one key has one
// account per provisioner. It is bound to a team (its EAB key's, or its provisioner's), and was
// registered by an actor allowed to request in that team.
type ACMEAccount struct {
	reg         ACMEAccountRegistered
	alias       string
	deactivated bool
	version     int
}

// NewACMEAccountFromHistory folds an ACME account stream's events.
func NewACMEAccountFromHistory(history []Event) (*ACMEAccount, error) {
	a := &ACMEAccount{}
	for _, e := range history {
		if err := a.Apply(e); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Apply changes the account by one of its events.
func (a *ACMEAccount) Apply(e Event) error {
	switch e := e.(type) {
	case ACMEAccountRegistered:
		if a.Exists() {
			return fmt.Errorf("apply ACMEAccountRegistered %q: ACME account %q already registered", e.AccountID, a.ID())
		}
		a.reg = e
	case ACMEAccountKeyChanged:
		if !a.Exists() || a.deactivated {
			return fmt.Errorf("apply ACMEAccountKeyChanged to ACME account %q: not an active account", a.ID())
		}
		a.reg.Thumbprint, a.reg.KeyJWK = e.Thumbprint, slices.Clone(e.KeyJWK)
	case ACMEAccountKeyAdopted:
		if a.version != 0 {
			return fmt.Errorf("apply ACMEAccountKeyAdopted to stream %q: not a new stream", e.KeyStreamID)
		}
		a.alias = e.AccountID
	case ACMEAccountDeactivated:
		if !a.Exists() || a.deactivated {
			return fmt.Errorf("apply ACMEAccountDeactivated to ACME account %q: not an active account", a.ID())
		}
		a.deactivated = true
	default:
		return fmt.Errorf("apply %s to ACME account %q: not an ACME account event", e.EventType(), a.ID())
	}
	a.version++
	return nil
}

// Register decides a new account: the key's thumbprint, contacts that are mailto: URLs, and an
// actor that may request certificates in the provisioner's team.
func (a *ACMEAccount) Register(in ACMEAccountInput, by Actor, at time.Time) ([]Event, error) {
	if a.Exists() || a.alias != "" {
		return nil, conflictf("ACME account %s is already registered", a.ID())
	}
	var vs []Violation
	if in.Thumbprint == "" || len(in.KeyJWK) == 0 {
		vs = append(vs, violation("jwk", "required", "an ACME account needs a public key"))
	}
	if len(in.Contact) > MaxACMEContacts {
		vs = append(vs, violation("contact", "too_many", "at most %d contacts", MaxACMEContacts))
	}
	for _, c := range in.Contact {
		if !strings.HasPrefix(c, "mailto:") || len(c) > 254 || !strings.Contains(c, "@") {
			vs = append(vs, violation("contact", "unsupported_contact", "contact %q is not a mailto: address", c))
		}
	}
	if err := violations(KindInvalid, "invalid ACME account", vs); err != nil {
		return nil, err
	}
	if _, err := authorize(by, by.Has(RoleSecOps) || by.devOpsOf(in.Team), "register ACME account"); err != nil {
		return nil, err
	}
	return []Event{ACMEAccountRegistered{AccountID: in.AccountID, Provisioner: in.Provisioner, Team: in.Team,
		Thumbprint: in.Thumbprint, KeyJWK: slices.Clone(in.KeyJWK), Contact: slices.Clone(in.Contact),
		EABKeyID: in.EABKeyID, RegisteredAt: at.UTC()}}, nil
}

// Exists reports whether the account was registered.
func (a *ACMEAccount) Exists() bool { return a.reg.AccountID != "" }

// ID returns the account's id.
func (a *ACMEAccount) ID() string { return a.reg.AccountID }

// Provisioner returns the provisioner the account was registered with.
func (a *ACMEAccount) Provisioner() string { return a.reg.Provisioner }

// Team returns the team the account is bound to.
func (a *ACMEAccount) Team() string { return a.reg.Team }

// Thumbprint returns the RFC 7638 thumbprint of the account's key.
func (a *ACMEAccount) Thumbprint() string { return a.reg.Thumbprint }

// KeyJWK returns the account's public key as a JWK.
func (a *ACMEAccount) KeyJWK() []byte { return slices.Clone(a.reg.KeyJWK) }

// Contact returns the account's contact URLs.
func (a *ACMEAccount) Contact() []string { return slices.Clone(a.reg.Contact) }

// Status returns "valid" for a registered account, "deactivated" once deactivated.
func (a *ACMEAccount) Status() string {
	if a.deactivated {
		return "deactivated"
	}
	return "valid"
}

// Active reports whether the account exists and was not deactivated.
func (a *ACMEAccount) Active() bool { return a.Exists() && !a.deactivated }

// AliasOf returns the account a later key of which derived this stream, "" for an account's
// own stream.
func (a *ACMEAccount) AliasOf() string { return a.alias }

// EABKeyID returns the External Account Binding key the account was bound with, "" without.
func (a *ACMEAccount) EABKeyID() string { return a.reg.EABKeyID }

// ChangeKey decides a key rollover of an active account to the key with thumbprint.
func (a *ACMEAccount) ChangeKey(thumbprint string, keyJWK []byte, at time.Time) ([]Event, error) {
	if !a.Active() {
		return nil, forbiddenf("ACME account %s is %s", a.ID(), a.Status())
	}
	if thumbprint == "" || len(keyJWK) == 0 || thumbprint == a.reg.Thumbprint {
		return nil, invalidf("a key rollover needs a new key")
	}
	return []Event{ACMEAccountKeyChanged{AccountID: a.ID(), OldThumbprint: a.reg.Thumbprint, Thumbprint: thumbprint,
		KeyJWK: slices.Clone(keyJWK), ChangedAt: at.UTC()}}, nil
}

// AdoptKey decides claiming this stream, the one a key's thumbprint derives, for accountID;
// a stream already in use is KindConflict (the key belongs to an account already).
func (a *ACMEAccount) AdoptKey(streamID, accountID, thumbprint string, at time.Time) ([]Event, error) {
	if a.version != 0 {
		if a.alias == accountID {
			return nil, nil
		}
		return nil, conflictf("the key belongs to another ACME account")
	}
	return []Event{ACMEAccountKeyAdopted{KeyStreamID: streamID, AccountID: accountID, Thumbprint: thumbprint,
		AdoptedAt: at.UTC()}}, nil
}

// Deactivate decides deactivating an active account.
func (a *ACMEAccount) Deactivate(at time.Time) ([]Event, error) {
	if !a.Active() {
		return nil, forbiddenf("ACME account %s is %s", a.ID(), a.Status())
	}
	return []Event{ACMEAccountDeactivated{AccountID: a.ID(), DeactivatedAt: at.UTC()}}, nil
}
