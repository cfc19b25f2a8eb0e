package domain

import (
	"time"
)

// The API token event types, as stored with every event and hashed into its stream's chain: a
// name never changes.
const (
	TypeAPITokenIssued  = "APITokenIssued"
	TypeAPITokenRevoked = "APITokenRevoked"
)

// apiTokenEvents are the events of an API token's stream.
var apiTokenEvents = []EventSpec{specOf[APITokenIssued](), specOf[APITokenRevoked]()}

// APITokenIssued records a new API token. The token's secret is never recorded, only the
// SHA-256 of the whole token string, so the stream cannot show the token again.
type APITokenIssued struct {
	TokenID     string `json:"token_id"`
	Description string `json:"description"`
	// Role is the one role the token's actor holds.
	Role Role `json:"role"`
	// Team is the token's team; set for DEVOPS tokens.
	Team string `json:"team"`
	// SecretSHA256 is the lower-case hex SHA-256 of the whole token string.
	SecretSHA256 string `json:"secret_sha256"`
	// IssuedBy is the subject of the actor that minted the token.
	IssuedBy  string    `json:"issued_by"`
	IssuedAt  time.Time `json:"issued_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// Override is true when only the ADMIN role allowed the token's team.
	Override bool `json:"override"`
}

// EventType returns TypeAPITokenIssued.
func (APITokenIssued) EventType() string { return TypeAPITokenIssued }

// Aggregate returns the API token.
func (e APITokenIssued) Aggregate() AggregateRef {
	return AggregateRef{Category: CategoryAPIToken, ID: e.TokenID}
}

// APITokenRevoked records the revocation of an API token; it authenticates nobody after it.
type APITokenRevoked struct {
	TokenID   string    `json:"token_id"`
	RevokedBy string    `json:"revoked_by"`
	RevokedAt time.Time `json:"revoked_at"`
	Reason    string    `json:"reason"`
	// Override is true when only the ADMIN role allowed the revocation.
	Override bool `json:"override"`
}

// EventType returns TypeAPITokenRevoked.
func (APITokenRevoked) EventType() string { return TypeAPITokenRevoked }

// Aggregate returns the API token.
func (e APITokenRevoked) Aggregate() AggregateRef {
	return AggregateRef{Category: CategoryAPIToken, ID: e.TokenID}
}
