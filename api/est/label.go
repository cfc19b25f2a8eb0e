package est

import (
	"encoding/json"
	"fmt"

	"github.com/certledger/certledger/api/enroll"
)

// Label is one EST CA: certificates from CA under Profile. The label named "" is the default,
// served at /.well-known/est/ itself.
type Label struct {
	Name    string `json:"label"`
	CAID    string `json:"ca_id"`
	Profile string `json:"profile"`
}

// reserved are the operation names, which cannot be labels.
var reserved = map[string]bool{"cacerts": true, "simpleenroll": true, "simplereenroll": true, "csrattrs": true,
	"serverkeygen": true, "fullcmc": true}

// ParseLabels reads a JSON array of labels and checks each: a name of lower-case letters,
// digits, '.', '_' and '-' that is no operation's (or "" for the default), unique; a CA id that
// is a UUID; a profile.
func ParseLabels(data []byte) ([]Label, error) {
	var ls []Label
	if err := json.Unmarshal(data, &ls); err != nil {
		return nil, fmt.Errorf("EST labels: %w", err)
	}
	endpoints := make([]enroll.Endpoint, len(ls))
	for i, l := range ls {
		if reserved[l.Name] {
			return nil, fmt.Errorf("EST label %d: %q is an operation's name", i, l.Name)
		}
		endpoints[i] = enroll.Endpoint{Name: l.Name, CAID: l.CAID, Profile: l.Profile}
	}
	return ls, enroll.CheckEndpoints("EST label", true, endpoints)
}
