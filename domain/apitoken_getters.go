package domain

import (
	"crypto/subtle"
	"time"
)

// Exists reports whether the token was issued.
func (t *APIToken) Exists() bool { return t.issued.TokenID != "" }

// ID returns the token's id.
func (t *APIToken) ID() string { return t.issued.TokenID }

// Version returns the number of events applied.
func (t *APIToken) Version() int { return t.version }

// Description returns what the token is for, as its issuer wrote it.
func (t *APIToken) Description() string { return t.issued.Description }

// Role returns the one role the token's actor holds.
func (t *APIToken) Role() Role { return t.issued.Role }

// Team returns the token's team.
func (t *APIToken) Team() string { return t.issued.Team }

// IssuedBy returns the subject of the actor that minted the token.
func (t *APIToken) IssuedBy() string { return t.issued.IssuedBy }

// IssuedAt returns when the token was minted.
func (t *APIToken) IssuedAt() time.Time { return t.issued.IssuedAt }

// ExpiresAt returns when the token stops authenticating.
func (t *APIToken) ExpiresAt() time.Time { return t.issued.ExpiresAt }

// Revocation returns the token's revocation, and false while it is not revoked.
func (t *APIToken) Revocation() (APITokenRevocation, bool) {
	if t.revocation == nil {
		return APITokenRevocation{}, false
	}
	return *t.revocation, true
}

// Status returns whether the token is active, revoked or expired at now; revoked wins.
func (t *APIToken) Status(now time.Time) TokenStatus {
	switch {
	case t.revocation != nil:
		return TokenRevoked
	case !now.Before(t.issued.ExpiresAt):
		return TokenExpired
	}
	return TokenActive
}

// MatchesSecret reports, in constant time, whether secretSHA256 (lower-case hex) is the hash
// recorded when the token was issued.
func (t *APIToken) MatchesSecret(secretSHA256 string) bool {
	return t.Exists() && subtle.ConstantTimeCompare([]byte(secretSHA256), []byte(t.issued.SecretSHA256)) == 1
}

// Actor returns who the token authenticates as: subject "token:<id>", its role and its team.
func (t *APIToken) Actor() Actor {
	return Actor{Subject: APITokenSubjectPrefix + t.ID(), Roles: []Role{t.issued.Role}, Team: t.issued.Team}
}
