package wire

import "time"

// Me is who a request authenticates as: the answer of GET /me.
type Me struct {
	Roles   []string `json:"roles"`
	Subject string   `json:"subject"`
	Team    string   `json:"team"` // empty for an actor without a team
}

// TokenRequest is the body of POST /tokens. Nobody mints a token above their own role.
type TokenRequest struct {
	Role string `json:"role"` // VIEWER, DEVOPS, SEC_OPS or ADMIN
	Team string `json:"team,omitempty"`
	// TTL is how long the token lives: a Go duration such as "720h" or a number of days such
	// as "30d"; empty is the server's default (90 days).
	TTL         string `json:"ttl,omitempty"`
	Description string `json:"description,omitempty"`
}

// TokenRevocationRequest is the body of POST /tokens/{id}/revoke.
type TokenRevocationRequest struct {
	Reason string `json:"reason,omitempty"`
}

// Token is an API token as its event stream has it. Secret holds the token itself only in the
// answer that minted it: the ledger keeps a hash of it and cannot show it again.
type Token struct {
	ID               string     `json:"id"`
	Secret           string     `json:"token,omitempty"`
	Role             string     `json:"role"`
	Team             string     `json:"team"`
	Description      string     `json:"description"`
	IssuedBy         string     `json:"issued_by"`
	IssuedAt         time.Time  `json:"issued_at"`
	ExpiresAt        time.Time  `json:"expires_at"`
	Status           string     `json:"status"` // active, revoked or expired
	RevokedBy        string     `json:"revoked_by,omitempty"`
	RevokedAt        *time.Time `json:"revoked_at,omitempty"`
	RevocationReason string     `json:"revocation_reason,omitempty"`
	// Revision is the revision of the token's stream, the ETag and the value for If-Match.
	Revision uint64 `json:"revision"`
}

// TokenListItem is an API token as the access read model lists it, without its secret.
type TokenListItem struct {
	ID          string     `json:"id"`
	Description string     `json:"description"`
	Role        string     `json:"role"`
	Team        string     `json:"team"`
	IssuedBy    string     `json:"issued_by"`
	IssuedAt    time.Time  `json:"issued_at"`
	ExpiresAt   time.Time  `json:"expires_at"`
	RevokedAt   *time.Time `json:"revoked_at,omitempty"`
	RevokedBy   string     `json:"revoked_by,omitempty"`
	// Position is the $all position of the last event that changed the token.
	Position int64  `json:"position"`
	Status   string `json:"status"` // active, revoked or expired
}

// TokenList is the answer of GET /tokens.
type TokenList struct {
	Items []TokenListItem `json:"items"`
}
