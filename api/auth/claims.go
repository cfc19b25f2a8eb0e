package auth

import (
	"errors"
	"slices"
	"strings"

	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/certledger/certledger/domain"
)

// actorFrom checks the registered claims of a verified token and builds its actor from the
// subject, the roles claim and the team claim.
func (o *OIDC) actorFrom(registered jwt.Claims, all map[string]any) (domain.Actor, error) {
	if registered.Expiry == nil {
		return domain.Actor{}, invalidf("token has no expiry")
	}
	expected := jwt.Expected{
		Issuer:      o.config.Issuer,
		AnyAudience: jwt.Audience{o.config.Audience},
		Time:        o.config.Now(),
	}
	if err := registered.ValidateWithLeeway(expected, o.config.ClockSkew); err != nil {
		return domain.Actor{}, describeClaimsError(err, registered, expected)
	}
	if registered.Subject == "" {
		return domain.Actor{}, invalidf("token has no subject")
	}
	roles, err := rolesFrom(o.config.RolesClaim, all[o.config.RolesClaim])
	if err != nil {
		return domain.Actor{}, err
	}
	team, ok := all[o.config.TeamClaim].(string)
	if !ok && all[o.config.TeamClaim] != nil {
		return domain.Actor{}, invalidf("claim %q is not a string", o.config.TeamClaim)
	}
	return domain.Actor{Subject: registered.Subject, Roles: roles, Team: team}, nil
}

// describeClaimsError names the reason ValidateWithLeeway refused the claims.
func describeClaimsError(err error, got jwt.Claims, want jwt.Expected) error {
	switch {
	case errors.Is(err, jwt.ErrInvalidIssuer):
		return invalidf("issuer mismatch: token from %q, want %q", got.Issuer, want.Issuer)
	case errors.Is(err, jwt.ErrInvalidAudience):
		return invalidf("audience mismatch: token for %q, want %q", []string(got.Audience), want.AnyAudience[0])
	case errors.Is(err, jwt.ErrExpired):
		return invalidf("token expired at %s", got.Expiry.Time().UTC())
	case errors.Is(err, jwt.ErrNotValidYet):
		return invalidf("token not valid yet: not before %s", got.NotBefore.Time().UTC())
	case errors.Is(err, jwt.ErrIssuedInTheFuture):
		return invalidf("token issued in the future at %s", got.IssuedAt.Time().UTC())
	}
	return invalidf("claims refused: %w", err)
}

// rolesFrom reads the roles claim: a JSON array of strings or one space-separated string. Names
// the domain does not know are ignored; duplicates are dropped.
func rolesFrom(claim string, value any) ([]domain.Role, error) {
	var names []string
	switch v := value.(type) {
	case nil:
		return nil, nil
	case string:
		names = strings.Fields(v)
	case []any:
		for _, element := range v {
			name, ok := element.(string)
			if !ok {
				return nil, invalidf("claim %q holds a non-string element %v", claim, element)
			}
			names = append(names, name)
		}
	default:
		return nil, invalidf("claim %q is neither a string nor an array of strings", claim)
	}
	var roles []domain.Role
	for _, name := range names {
		role, err := domain.ParseRole(name)
		if err != nil {
			continue // unknown roles grant nothing
		}
		if !slices.Contains(roles, role) {
			roles = append(roles, role)
		}
	}
	return roles, nil
}
