package acme

import (
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/google/uuid"
)

// Provisioner is one ACME endpoint: certificates from CA under Profile, for Team.
type Provisioner struct {
	// Name is the path segment, /acme/{name}/directory.
	Name    string `json:"name"`
	CAID    string `json:"ca_id"`
	Profile string `json:"profile"`
	Team    string `json:"team"`
	// ExternalAccountRequired makes newAccount take only accounts bound with an EAB key minted
	// for this provisioner; such an account acts for the key's team.
	ExternalAccountRequired bool `json:"eab,omitempty"`
}

var provisionerName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

// ParseProvisioners reads a JSON array of provisioners and checks each: a name of lower-case
// letters, digits, '.', '_' and '-', unique; a CA id that is a UUID; a profile; and a team,
// unless it requires External Account Binding (its accounts then act for their key's team).
func ParseProvisioners(data []byte) ([]Provisioner, error) {
	var ps []Provisioner
	if err := json.Unmarshal(data, &ps); err != nil {
		return nil, fmt.Errorf("ACME provisioners: %w", err)
	}
	seen := map[string]bool{}
	for i, p := range ps {
		switch {
		case !provisionerName.MatchString(p.Name):
			return nil, fmt.Errorf("ACME provisioner %d: name %q is not [a-z0-9][a-z0-9._-]*", i, p.Name)
		case seen[p.Name]:
			return nil, fmt.Errorf("ACME provisioner %q is listed twice", p.Name)
		case uuid.Validate(p.CAID) != nil:
			return nil, fmt.Errorf("ACME provisioner %q: ca_id %q is not a UUID", p.Name, p.CAID)
		case p.Profile == "" || (p.Team == "" && !p.ExternalAccountRequired):
			return nil, fmt.Errorf("ACME provisioner %q needs a profile, and a team unless it requires EAB", p.Name)
		}
		seen[p.Name] = true
	}
	return ps, nil
}
