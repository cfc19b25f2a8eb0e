package client

import (
	"context"
	"net/http"
	"time"

	"github.com/certledger/certledger/api/wire"
)

// ProfileSpec is a profile's policy, in the JSON the ledger stores (see domain.ProfileSpec).
type ProfileSpec = wire.ProfileSpec

// Profile is a certificate profile. The API answers DefineProfile and UpdateProfile with a
// wire.ProfileRevision (ID, Name, Spec, Revision), GetProfile and ListProfiles with a
// wire.Profile (ID, Name, Team, Spec, Version, UpdatedAt); the client fills in what each
// leaves out, so Revision, Version and Team are always set: Revision = Version - 1 is the value
// for IfMatch. UpdatedAt is zero after DefineProfile and UpdateProfile.
type Profile struct {
	ID        string
	Name      string
	Team      string
	Spec      ProfileSpec
	Revision  uint64
	Version   int
	UpdatedAt time.Time
}

// savedProfile is the profile a define or update answered with.
func savedProfile(p wire.ProfileRevision) Profile {
	return Profile{ID: p.ID, Name: p.Name, Team: p.Spec.Team, Spec: p.Spec, Revision: p.Revision, Version: int(p.Revision) + 1}
}

// listedProfile is a profile as the read model has it.
func listedProfile(p wire.Profile) Profile {
	team := p.Team
	if team == "" {
		team = p.Spec.Team
	}
	return Profile{ID: p.ID, Name: p.Name, Team: team, Spec: p.Spec, Revision: uint64(max(p.Version-1, 0)), Version: p.Version,
		UpdatedAt: p.UpdatedAt}
}

// DefineProfile defines a new profile. Without key usages and extended key usages the server
// makes it a TLS server profile (digitalSignature, serverAuth, common name among the SANs).
func (c *Client) DefineProfile(ctx context.Context, spec ProfileSpec, opts ...RequestOption) (Profile, error) {
	var out wire.ProfileRevision
	err := c.call(ctx, http.MethodPost, "/profiles", nil, spec, &out, opts)
	return savedProfile(out), err
}

// UpdateProfile replaces the policy of the profile name. It honours IfMatch, against
// replacing a version the caller has not seen.
func (c *Client) UpdateProfile(ctx context.Context, name string, spec ProfileSpec, opts ...RequestOption) (Profile, error) {
	var out wire.ProfileRevision
	err := c.call(ctx, http.MethodPut, "/profiles/"+segment(name), nil, spec, &out, opts)
	return savedProfile(out), err
}

// ListProfiles lists the profiles the caller may read, by name.
func (c *Client) ListProfiles(ctx context.Context, opts ...RequestOption) ([]Profile, error) {
	var out wire.ProfileList
	err := c.call(ctx, http.MethodGet, "/profiles", nil, nil, &out, opts)
	var list []Profile
	if out.Items != nil {
		list = make([]Profile, len(out.Items))
	}
	for i, p := range out.Items {
		list[i] = listedProfile(p)
	}
	return list, err
}

// GetProfile shows a profile as the inventory has it.
func (c *Client) GetProfile(ctx context.Context, name string, opts ...RequestOption) (Profile, error) {
	var out wire.Profile
	err := c.call(ctx, http.MethodGet, "/profiles/"+segment(name), nil, nil, &out, opts)
	return listedProfile(out), err
}
