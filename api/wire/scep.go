package wire

import "time"

// SCEPChallengeRequest is the body of POST /scep/challenges: a one-time challenge password
// for a SCEP provisioner, for the team its certificate is recorded for.
type SCEPChallengeRequest struct {
	Provisioner string `json:"provisioner"`
	Team        string `json:"team"`
	// TTL is how long the password is valid: a Go duration such as "1h" or a number of days
	// such as "7d"; empty is one day.
	TTL string `json:"ttl,omitempty"`
}

// SCEPChallenge is a fresh challenge password; the ledger keeps only its hash, so it is shown
// this once.
type SCEPChallenge struct {
	Password    string    `json:"password"`
	ChallengeID string    `json:"challenge_id"`
	Provisioner string    `json:"provisioner"`
	Team        string    `json:"team"`
	ExpiresAt   time.Time `json:"expires_at"`
}
