package est

import (
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/google/uuid"
)

// Label is one EST CA: certificates from CA under Profile. The label named "" is the default,
// served at /.well-known/est/ itself.
type Label struct {
	Name    string `json:"label"`
	CAID    string `json:"ca_id"`
	Profile string `json:"profile"`
}

// labelName is RFC 7030 §3.2.2's label: a path segment, here kept to a safe alphabet.
var labelName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

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
	seen := map[string]bool{}
	for i, l := range ls {
		switch {
		case l.Name != "" && (!labelName.MatchString(l.Name) || reserved[l.Name]):
			return nil, fmt.Errorf("EST label %d: %q is not [a-z0-9][a-z0-9._-]* or is an operation's name", i, l.Name)
		case seen[l.Name]:
			return nil, fmt.Errorf("EST label %q is listed twice", l.Name)
		case uuid.Validate(l.CAID) != nil:
			return nil, fmt.Errorf("EST label %q: ca_id %q is not a UUID", l.Name, l.CAID)
		case l.Profile == "":
			return nil, fmt.Errorf("EST label %q needs a profile", l.Name)
		}
		seen[l.Name] = true
	}
	return ls, nil
}
