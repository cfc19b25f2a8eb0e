package enroll

import (
	"fmt"
	"regexp"

	"github.com/google/uuid"
)

// Endpoint is what every protocol's endpoint names: its path segment, the CA that issues its
// certificates and the profile they are issued under.
type Endpoint struct{ Name, CAID, Profile string }

var name = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

// CheckEndpoints checks the endpoints of one protocol (kind names them in errors, such as "SCEP
// provisioner"): each name a path segment, unique — "" too when emptyOK (EST's default label) —
// a CA id that is a UUID, and a profile.
func CheckEndpoints(kind string, emptyOK bool, endpoints []Endpoint) error {
	seen := map[string]bool{}
	for i, e := range endpoints {
		switch {
		case !(emptyOK && e.Name == "") && !name.MatchString(e.Name):
			return fmt.Errorf("%s %d: name %q is not [a-z0-9][a-z0-9._-]*", kind, i, e.Name)
		case seen[e.Name]:
			return fmt.Errorf("%s %q is listed twice", kind, e.Name)
		case uuid.Validate(e.CAID) != nil:
			return fmt.Errorf("%s %q: ca_id %q is not a UUID", kind, e.Name, e.CAID)
		case e.Profile == "":
			return fmt.Errorf("%s %q needs a profile", kind, e.Name)
		}
		seen[e.Name] = true
	}
	return nil
}
