package domain

import (
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
)

// NewProfileFromHistory folds a profile stream's events into a Profile. An empty history
// gives a profile that is not defined yet, on which only Define decides.
func NewProfileFromHistory(history []Event) (*Profile, error) {
	p := &Profile{}
	for _, e := range history {
		if err := p.Apply(e); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Apply changes the profile by one of its events. Stored specs are not validated again: a
// spec entry that no longer parses is left out, so the profile allows less, never more.
func (p *Profile) Apply(e Event) error {
	var id string
	var spec ProfileSpec
	switch e := e.(type) {
	case ProfileDefined:
		if p.id != "" {
			return fmt.Errorf("apply ProfileDefined %q: profile %q already defined", e.ProfileID, p.id)
		}
		id, spec = e.ProfileID, e.Spec
	case ProfileUpdated:
		if p.id == "" || e.ProfileID != p.id {
			return fmt.Errorf("apply ProfileUpdated %q to profile %q: out of order or for another profile", e.ProfileID, p.id)
		}
		id, spec = e.ProfileID, e.Spec
	default:
		return fmt.Errorf("apply %s to profile %q: not a profile event", e.EventType(), p.id)
	}
	built, _ := buildProfile(spec)
	built.id, built.version = id, p.version+1
	*p = built
	return nil
}

// Define decides the definition of a new profile with the given id (a UUID) and spec.
func (p *Profile) Define(id string, spec ProfileSpec, by Actor, at time.Time) ([]Event, error) {
	override, err := authorizeAdministration(by, "define profile")
	if err != nil {
		return nil, err
	}
	if p.id != "" {
		return nil, conflictf("profile %s (%s) is already defined", p.spec.Name, p.id)
	}
	if _, err := uuid.Parse(id); err != nil {
		return nil, invalidf("profile id %q is not a UUID", id)
	}
	if _, err := NewProfile(spec); err != nil {
		return nil, err
	}
	return []Event{ProfileDefined{ProfileID: id, Spec: spec, DefinedAt: at.UTC(), Override: override}}, nil
}

// Update decides the replacement of the profile's spec. The name cannot change.
func (p *Profile) Update(spec ProfileSpec, by Actor, at time.Time) ([]Event, error) {
	if p.id == "" {
		return nil, notFoundf("profile does not exist")
	}
	override, err := authorizeAdministration(by, "update profile")
	if err != nil {
		return nil, err
	}
	if spec.Name != p.spec.Name {
		return nil, invalidf("profile %s cannot be renamed to %q", p.spec.Name, spec.Name)
	}
	if _, err := NewProfile(spec); err != nil {
		return nil, err
	}
	return []Event{ProfileUpdated{ProfileID: p.id, Spec: spec, UpdatedAt: at.UTC(), Override: override}}, nil
}

// Defined reports whether the profile holds a validated spec.
func (p Profile) Defined() bool { return p.spec.Name != "" }

// ID returns the profile's id; it is empty for a profile made by NewProfile.
func (p Profile) ID() string { return p.id }

// Version returns the number of events applied.
func (p Profile) Version() int { return p.version }

// Name returns the profile's name.
func (p Profile) Name() string { return p.spec.Name }

// Team returns the team that owns the profile, empty for a shared profile.
func (p Profile) Team() string { return p.spec.Team }

// RequiresApproval reports whether requests wait for a manual approval.
func (p Profile) RequiresApproval() bool { return p.spec.RequiresApproval }

// MaxValidityDays returns the longest validity a request may ask for.
func (p Profile) MaxValidityDays() int { return p.spec.MaxValidityDays }

// KeyTypes returns the key types requests may use.
func (p Profile) KeyTypes() []KeyType { return slices.Clone(p.spec.KeyTypes) }

// Spec returns a copy of the profile's normalised spec.
func (p Profile) Spec() ProfileSpec {
	s := p.spec
	s.AllowedDomains = slices.Clone(s.AllowedDomains)
	s.AllowedIPNets = slices.Clone(s.AllowedIPNets)
	s.AllowedURISchemes = slices.Clone(s.AllowedURISchemes)
	s.KeyTypes = slices.Clone(s.KeyTypes)
	s.KeyUsages = slices.Clone(s.KeyUsages)
	s.ExtKeyUsages = slices.Clone(s.ExtKeyUsages)
	if s.Renewal != nil {
		r := *s.Renewal
		s.Renewal = &r
	}
	return s
}
