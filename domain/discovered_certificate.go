package domain

import (
	"fmt"
	"time"
)

// DiscoveredCertificate is the aggregate of a discovered certificate's stream: what was first
// seen of it and, once a SEC_OPS user takes it under management, its adoption.
type DiscoveredCertificate struct {
	discovered *CertificateDiscovered
	adopted    *CertificateAdopted
}

// NewDiscoveredCertificateFromHistory folds a discovered certificate's stream.
func NewDiscoveredCertificateFromHistory(history []Event) (*DiscoveredCertificate, error) {
	d := &DiscoveredCertificate{}
	for _, e := range history {
		switch e := e.(type) {
		case CertificateDiscovered:
			if d.discovered != nil {
				return nil, fmt.Errorf("certificate %s is discovered twice on its stream", e.Fingerprint)
			}
			d.discovered = &e
		case CertificateAdopted:
			if d.discovered == nil || d.adopted != nil || e.Fingerprint != d.discovered.Fingerprint {
				return nil, fmt.Errorf("apply CertificateAdopted %s: out of order or for another certificate", e.Fingerprint)
			}
			d.adopted = &e
		default:
			return nil, fmt.Errorf("apply %s to a discovered certificate: not one of its events", e.EventType())
		}
	}
	return d, nil
}

// Adopted returns the adoption, and false when the certificate is not adopted.
func (d *DiscoveredCertificate) Adopted() (CertificateAdopted, bool) {
	if d.adopted == nil {
		return CertificateAdopted{}, false
	}
	return *d.adopted, true
}

// AdoptInput is what adopting a discovered certificate names.
type AdoptInput struct {
	Team, Owner string
	Profile     *Profile
}

// Adopt decides that a discovered certificate is taken under management by a team, with an
// owner and the profile whose renewal policy then applies to it. SEC_OPS adopts (ADMIN by
// override); a certificate is adopted once.
func (d *DiscoveredCertificate) Adopt(in AdoptInput, by Actor, at time.Time) ([]Event, error) {
	override, err := authorize(by, by.Has(RoleSecOps), "adopt a discovered certificate")
	if err != nil {
		return nil, err
	}
	switch {
	case d.discovered == nil:
		return nil, notFoundf("no certificate with this fingerprint was discovered")
	case d.adopted != nil:
		return nil, conflictf("certificate %s was adopted already by team %q", d.discovered.Fingerprint, d.adopted.Team)
	case in.Profile == nil || !in.Profile.Defined():
		return nil, notFoundf("certificate profile does not exist")
	case in.Team == "" || len(in.Team) > 64:
		return nil, invalidf("an adoption needs a team of 1 to 64 bytes")
	case len(in.Owner) > 200:
		return nil, invalidf("an owner is at most 200 bytes")
	case in.Profile.Team() != "" && in.Profile.Team() != in.Team:
		return nil, invalidf("profile %s belongs to team %q, not %q", in.Profile.Name(), in.Profile.Team(), in.Team)
	}
	return []Event{CertificateAdopted{DiscoveredID: d.discovered.DiscoveredID, Fingerprint: d.discovered.Fingerprint,
		Team: in.Team, Owner: in.Owner, ProfileID: in.Profile.ID(), ProfileName: in.Profile.Name(),
		Override: override, AdoptedAt: at.UTC()}}, nil
}
