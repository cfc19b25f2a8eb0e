package scep

import (
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/google/uuid"
)

// Provisioner is one SCEP endpoint, /scep/{Name}: certificates from CA under Profile.
type Provisioner struct {
	Name    string `json:"name"`
	CAID    string `json:"ca_id"`
	Profile string `json:"profile"`
}

var provisionerName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

// ParseProvisioners reads a JSON array of provisioners and checks each: a unique name of
// lower-case letters, digits, '.', '_' and '-'; a CA id that is a UUID; a profile.
func ParseProvisioners(data []byte) ([]Provisioner, error) {
	var ps []Provisioner
	if err := json.Unmarshal(data, &ps); err != nil {
		return nil, fmt.Errorf("SCEP provisioners: %w", err)
	}
	seen := map[string]bool{}
	for i, p := range ps {
		switch {
		case !provisionerName.MatchString(p.Name):
			return nil, fmt.Errorf("SCEP provisioner %d: name %q is not [a-z0-9][a-z0-9._-]*", i, p.Name)
		case seen[p.Name]:
			return nil, fmt.Errorf("SCEP provisioner %q is listed twice", p.Name)
		case uuid.Validate(p.CAID) != nil:
			return nil, fmt.Errorf("SCEP provisioner %q: ca_id %q is not a UUID", p.Name, p.CAID)
		case p.Profile == "":
			return nil, fmt.Errorf("SCEP provisioner %q needs a profile", p.Name)
		}
		seen[p.Name] = true
	}
	return ps, nil
}
