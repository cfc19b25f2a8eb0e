package acme

import (
	"encoding/json"
	"fmt"

	"github.com/certledger/certledger/api/enroll"
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

// ParseProvisioners reads a JSON array of provisioners and checks each: a name of lower-case
// letters, digits, '.', '_' and '-', unique; a CA id that is a UUID; a profile
// (enroll.CheckEndpoints); and a team, unless it requires External Account Binding (its
// accounts then act for their key's team).
func ParseProvisioners(data []byte) ([]Provisioner, error) {
	var ps []Provisioner
	if err := json.Unmarshal(data, &ps); err != nil {
		return nil, fmt.Errorf("ACME provisioners: %w", err)
	}
	endpoints := make([]enroll.Endpoint, len(ps))
	for i, p := range ps {
		endpoints[i] = enroll.Endpoint{Name: p.Name, CAID: p.CAID, Profile: p.Profile}
		if p.Team == "" && !p.ExternalAccountRequired {
			return nil, fmt.Errorf("ACME provisioner %q needs a team unless it requires EAB", p.Name)
		}
	}
	return ps, enroll.CheckEndpoints("ACME provisioner", false, endpoints)
}
