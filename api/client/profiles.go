package client

import (
	"context"
	"net/http"
	"time"

	"github.com/certledger/certledger/domain"
)

// ProfileSpec is a profile's policy, in the JSON the ledger stores (see domain.ProfileSpec).
type ProfileSpec = domain.ProfileSpec

// Profile is a certificate profile. DefineProfile and UpdateProfile answer with ID, Name, Spec
// and Revision; GetProfile and ListProfiles with ID, Name, Team, Spec, Version and UpdatedAt.
// The client fills in Revision and Version from each other, so both are always set:
// Revision = Version - 1 is the value for IfMatch.
type Profile struct {
	ID        string      `json:"id"`
	Name      string      `json:"name"`
	Team      string      `json:"team,omitempty"`
	Spec      ProfileSpec `json:"spec"`
	Revision  uint64      `json:"revision"`
	Version   int         `json:"version,omitempty"`
	UpdatedAt time.Time   `json:"updated_at,omitzero"`
}

// complete fills in the revision or version the answer did not carry, and the team.
func (p *Profile) complete() {
	switch {
	case p.Version > 0:
		p.Revision = uint64(p.Version - 1)
	default:
		p.Version = int(p.Revision) + 1
	}
	if p.Team == "" {
		p.Team = p.Spec.Team
	}
}

// DefineProfile defines a new profile. Without key usages and extended key usages the server
// makes it a TLS server profile (digitalSignature, serverAuth, common name among the SANs).
func (c *Client) DefineProfile(ctx context.Context, spec ProfileSpec, opts ...RequestOption) (Profile, error) {
	var out Profile
	err := c.call(ctx, http.MethodPost, "/profiles", nil, spec, &out, opts)
	out.complete()
	return out, err
}

// UpdateProfile replaces the policy of the profile name. It honours IfMatch, against
// replacing a version the caller has not seen.
func (c *Client) UpdateProfile(ctx context.Context, name string, spec ProfileSpec, opts ...RequestOption) (Profile, error) {
	var out Profile
	err := c.call(ctx, http.MethodPut, "/profiles/"+segment(name), nil, spec, &out, opts)
	out.complete()
	return out, err
}

// ListProfiles lists the profiles the caller may read, by name.
func (c *Client) ListProfiles(ctx context.Context, opts ...RequestOption) ([]Profile, error) {
	var out struct {
		Items []Profile `json:"items"`
	}
	err := c.call(ctx, http.MethodGet, "/profiles", nil, nil, &out, opts)
	for i := range out.Items {
		out.Items[i].complete()
	}
	return out.Items, err
}

// GetProfile shows a profile as the inventory has it.
func (c *Client) GetProfile(ctx context.Context, name string, opts ...RequestOption) (Profile, error) {
	var out Profile
	err := c.call(ctx, http.MethodGet, "/profiles/"+segment(name), nil, nil, &out, opts)
	out.complete()
	return out, err
}
