package rest_test

import (
	"testing"
	"time"

	"github.com/certledger/certledger/api/auth/authtest"
	"github.com/certledger/certledger/domain"
)

// principal is who calls a route in the matrix test: a token, and the roles it stands for.
type principal struct {
	name string
	// subject is the actor's subject; "" is name@example.com.
	subject string
	token   string // "" sends no Authorization header
	roles   []string
	team    string
	// authenticated is false for principals whose token must be refused (401).
	authenticated bool
	// like names the principal of basePrincipals whose answers this one shares, for
	// principals authenticated another way (a JWT, an API token).
	like string
	// static principals authenticate with a token of the test's static set.
	static bool
}

// answersLike is the name under which fixtures list the principal's own answers.
func (p principal) answersLike() string {
	if p.like != "" {
		return p.like
	}
	return p.name
}

// basePrincipals are the roles of the security model, a second team, a principal without
// roles, nobody, a token nobody issued, and two agents.
func basePrincipals() []principal {
	return append([]principal{
		{name: "anonymous"},
		{name: "unknown-token", token: "clt_not-a-token-anyone-issued"},
		{name: "no-role", token: "tok-no-role", authenticated: true, static: true, team: teamPayments},
		{name: "viewer", token: "tok-viewer", roles: []string{"VIEWER"}, authenticated: true, static: true},
		{name: "devops", token: "tok-devops", roles: []string{"DEVOPS"}, team: teamPayments, authenticated: true, static: true},
		{name: "devops-other-team", token: "tok-devops-other", roles: []string{"DEVOPS"}, team: teamOther, authenticated: true, static: true},
		{name: "secops", token: "tok-secops", roles: []string{"SEC_OPS"}, authenticated: true, static: true},
		{name: "admin", token: "tok-admin", roles: []string{"ADMIN"}, authenticated: true, static: true},
		// requester makes the requests others approve, so that four eyes never hides a role's
		// right to approve.
		{name: "requester", token: "tok-requester", roles: []string{"DEVOPS"}, team: teamPayments, authenticated: true, static: true},
	}, agentPrincipals()...)
}

func actorOf(p principal) domain.Actor {
	a := domain.Actor{Subject: p.name + "@example.com", Team: p.team}
	if p.subject != "" {
		a.Subject = p.subject
	}
	for _, r := range p.roles {
		a.Roles = append(a.Roles, domain.Role(r))
	}
	return a
}

// jwtPrincipals are users of the OIDC issuer: one in good standing, and tokens that must be
// refused — expired, forged, for another audience.
func jwtPrincipals(t *testing.T, issuer *authtest.Issuer) []principal {
	secops := authtest.Claims{Subject: "jwt-secops@example.com", Audience: []string{"certledger"}, Roles: []string{"SEC_OPS"}}
	expired, other := secops, secops
	expired.ExpiresIn = -time.Hour
	other.Audience = []string{"another-service"}
	return []principal{
		{name: "jwt-secops", like: "secops", token: issuer.Mint(t, secops), roles: []string{"SEC_OPS"}, authenticated: true},
		{name: "jwt-expired", token: issuer.Mint(t, expired)},
		{name: "jwt-forged", token: issuer.Forge(t, secops)},
		{name: "jwt-wrong-audience", token: issuer.Mint(t, other)},
	}
}

// apiTokenPrincipals are API tokens the admin minted: a DEVOPS one of team payments, and one
// revoked since.
func (w *matrixWorld) apiTokenPrincipals() []principal {
	w.t.Helper()
	devops := w.mustCreate("/api/v1/tokens", map[string]any{"role": "DEVOPS", "team": teamPayments, "ttl": "24h"})
	revoked := w.mustCreate("/api/v1/tokens", map[string]any{"role": "SEC_OPS", "ttl": "24h"})
	w.mustCreate("/api/v1/tokens/"+revoked["id"].(string)+"/revoke", map[string]any{"reason": "leaked"})
	return []principal{
		{name: "api-token-devops", like: "devops", token: devops["token"].(string), roles: []string{"DEVOPS"}, team: teamPayments, authenticated: true},
		{name: "api-token-revoked", token: revoked["token"].(string)},
	}
}
