package wire

import (
	"time"

	"github.com/certledger/certledger/domain"
)

// ProfileSpec is a profile's policy, the body of POST /profiles and PUT /profiles/{name}, in
// the JSON the ledger stores in its events.
type ProfileSpec = domain.ProfileSpec

// RenewalPolicy is the renewal part of a profile's policy (ProfileSpec.Renewal).
type RenewalPolicy = domain.RenewalPolicy

// ProfileRevision is a profile as a command saved it: the answer of defining or updating one.
type ProfileRevision struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Revision is the revision of the profile's stream, the ETag and the value for If-Match.
	Revision uint64      `json:"revision"`
	Spec     ProfileSpec `json:"spec"`
}

// Profile is a profile as the read model has it.
type Profile struct {
	ID   string      `json:"id"`
	Name string      `json:"name"`
	Team string      `json:"team"` // empty for a profile every team shares
	Spec ProfileSpec `json:"spec"`
	// Version counts the profile's definition and updates, from 1; the ETag is Version - 1.
	Version   int       `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ProfileList is the answer of GET /profiles.
type ProfileList struct {
	Items []Profile `json:"items"`
}
