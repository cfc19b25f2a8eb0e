package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Bounds of an API token.
const (
	MinAPITokenTTL            = time.Hour
	MaxAPITokenTTL            = 365 * 24 * time.Hour
	MaxAPITokenDescriptionLen = 200 // characters, also for a revocation's reason
	// APITokenSubjectPrefix starts the subject of a token's actor: "token:<token id>".
	APITokenSubjectPrefix = "token:"
)

// TokenStatus is where an API token stands at a given time.
type TokenStatus string

// The statuses of an API token.
const (
	TokenActive  TokenStatus = "active"
	TokenRevoked TokenStatus = "revoked"
	TokenExpired TokenStatus = "expired"
)

// APITokenInput is what an actor asks for when it mints an API token.
type APITokenInput struct {
	TokenID     string // a UUID
	Description string
	Role        Role
	Team        string
	TTL         time.Duration
	// SecretSHA256 is the lower-case hex SHA-256 of the whole token string.
	SecretSHA256 string
}

// APITokenRevocation is who revoked an API token, when and why.
type APITokenRevocation struct {
	By     string
	At     time.Time
	Reason string
}

// APIToken is an API token folded from its stream. The zero APIToken is "not issued yet";
// only Issue decides on it.
//
// Invariants: a token's stream holds one APITokenIssued, then at most one APITokenRevoked. It
// never holds the token's secret, only the SHA-256 of the token string. The token's actor holds
// exactly the one role it was minted with, which was not above its issuer's highest role then.
// Its lifetime is between MinAPITokenTTL and MaxAPITokenTTL. Only an active token (Status)
// whose secret matches may authenticate; revoked and expired ones never become active again.
type APIToken struct {
	issued     APITokenIssued
	revocation *APITokenRevocation
	version    int
}

// NewAPITokenFromHistory folds an API token stream's events into an APIToken.
func NewAPITokenFromHistory(history []Event) (*APIToken, error) {
	t := &APIToken{}
	for _, e := range history {
		if err := t.Apply(e); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Apply changes the token by one of its events: issued once, then revoked at most once.
func (t *APIToken) Apply(e Event) error {
	switch e := e.(type) {
	case APITokenIssued:
		if t.Exists() {
			return fmt.Errorf("apply APITokenIssued %q: API token %q already issued", e.TokenID, t.ID())
		}
		t.issued = e
	case APITokenRevoked:
		if !t.Exists() || e.TokenID != t.ID() || t.revocation != nil {
			return fmt.Errorf("apply APITokenRevoked %q to API token %q: out of order or for another token", e.TokenID, t.ID())
		}
		t.revocation = &APITokenRevocation{By: e.RevokedBy, At: e.RevokedAt, Reason: e.Reason}
	default:
		return fmt.Errorf("apply %s to API token %q: not an API token event", e.EventType(), t.ID())
	}
	t.version++
	return nil
}

// Issue decides the minting of a new token. Nobody mints a token with a role above their own
// highest role; a DEVOPS token needs a team; a team other than the actor's own needs SEC_OPS
// (or ADMIN, marked Override). Every problem with the input is listed in a KindInvalid error.
func (t *APIToken) Issue(in APITokenInput, by Actor, at time.Time) ([]Event, error) {
	if t.Exists() {
		return nil, conflictf("API token %s is already issued", t.ID())
	}
	if err := checkAPITokenInput(in); err != nil {
		return nil, err
	}
	override, err := authorizeTokenIssue(by, in.Role, in.Team)
	if err != nil {
		return nil, err
	}
	return []Event{APITokenIssued{TokenID: in.TokenID, Description: in.Description, Role: in.Role, Team: in.Team,
		SecretSHA256: in.SecretSHA256, IssuedBy: by.Subject, IssuedAt: at.UTC(), ExpiresAt: at.UTC().Add(in.TTL),
		Override: override}}, nil
}

// Revoke decides the token's revocation, by its issuer or SEC_OPS (or ADMIN, marked Override).
// Revoking twice is a KindConflict error; an expired token may still be revoked.
func (t *APIToken) Revoke(by Actor, at time.Time, reason string) ([]Event, error) {
	if !t.Exists() {
		return nil, notFoundf("cannot revoke: API token does not exist")
	}
	override, err := authorize(by, by.Subject == t.issued.IssuedBy || by.Has(RoleSecOps),
		"revoke API token "+t.ID()+" issued by "+t.issued.IssuedBy)
	if err != nil {
		return nil, err
	}
	if r := t.revocation; r != nil {
		return nil, conflictf("API token %s is already revoked (by %s at %s)", t.ID(), r.By, r.At.Format(time.RFC3339))
	}
	if utf8.RuneCountInString(reason) > MaxAPITokenDescriptionLen {
		return nil, invalidf("the revocation reason is longer than %d characters", MaxAPITokenDescriptionLen)
	}
	return []Event{APITokenRevoked{TokenID: t.ID(), RevokedBy: by.Subject, RevokedAt: at.UTC(), Reason: reason,
		Override: override}}, nil
}

// checkAPITokenInput lists every problem with a mint request.
func checkAPITokenInput(in APITokenInput) error {
	var vs []Violation
	if _, err := uuid.Parse(in.TokenID); err != nil {
		vs = append(vs, violation("token_id", "uuid", "token id %q is not a UUID", in.TokenID))
	}
	if in.Role.rank() == 0 {
		vs = append(vs, violation("role", "unknown", "unknown role %q: want VIEWER, DEVOPS, SEC_OPS or ADMIN", in.Role))
	}
	if in.Role == RoleDevOps && in.Team == "" {
		vs = append(vs, violation("team", "required", "a DEVOPS token needs a team"))
	}
	if len(in.Team) > 64 {
		vs = append(vs, violation("team", "too_long", "team name is longer than 64 bytes"))
	}
	if in.TTL < MinAPITokenTTL || in.TTL > MaxAPITokenTTL {
		vs = append(vs, violation("ttl", "range", "a lifetime of %s is not between %s and %d days",
			in.TTL, MinAPITokenTTL, MaxAPITokenTTL/(24*time.Hour)))
	}
	if utf8.RuneCountInString(in.Description) > MaxAPITokenDescriptionLen {
		vs = append(vs, violation("description", "too_long", "the description is longer than %d characters", MaxAPITokenDescriptionLen))
	}
	if len(in.SecretSHA256) != 64 || strings.Trim(in.SecretSHA256, "0123456789abcdef") != "" {
		vs = append(vs, violation("secret_sha256", "syntax", "the secret's hash is not 64 lower-case hex digits"))
	}
	return violations(KindInvalid, "invalid API token", vs)
}

// authorizeTokenIssue allows an actor to mint a token of a role up to its own highest role, for
// no team or its own; SEC_OPS mints for any team, and ADMIN too, as an Override unless it is
// also SEC_OPS.
func authorizeTokenIssue(a Actor, role Role, team string) (override bool, err error) {
	const action = "issue API token"
	top := a.highestRole()
	switch {
	case a.Subject == "":
		return false, forbiddenf("%s: the actor has no subject", action)
	case role.rank() > top.rank():
		return false, forbiddenf("%s: %s may not mint a %s token, above its own highest role %q", action, a.Subject, role, top)
	case team == "" || team == a.Team || a.Has(RoleSecOps):
		return false, nil
	case a.Has(RoleAdmin):
		return true, nil
	}
	return false, forbiddenf("%s: %s of team %q may not mint a token for team %q; only SEC_OPS and ADMIN mint tokens for other teams",
		action, a.Subject, a.Team, team)
}
