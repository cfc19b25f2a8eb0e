package scep

import (
	"encoding/json"
	"fmt"

	"github.com/certledger/certledger/api/enroll"
)

// Provisioner is one SCEP endpoint, /scep/{Name}: certificates from CA under Profile.
type Provisioner struct {
	Name    string `json:"name"`
	CAID    string `json:"ca_id"`
	Profile string `json:"profile"`
}

// ParseProvisioners reads a JSON array of provisioners and checks each: a unique name of
// lower-case letters, digits, '.', '_' and '-'; a CA id that is a UUID; a profile.
func ParseProvisioners(data []byte) ([]Provisioner, error) {
	var ps []Provisioner
	if err := json.Unmarshal(data, &ps); err != nil {
		return nil, fmt.Errorf("SCEP provisioners: %w", err)
	}
	endpoints := make([]enroll.Endpoint, len(ps))
	for i, p := range ps {
		endpoints[i] = enroll.Endpoint{Name: p.Name, CAID: p.CAID, Profile: p.Profile}
	}
	return ps, enroll.CheckEndpoints("SCEP provisioner", false, endpoints)
}
