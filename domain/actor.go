package domain

import (
	"strings"
)

// Role is a role an actor holds. The roles and what they allow are the ledger's security model.
type Role string

// The roles of the security model.
const (
	// RoleViewer reads everything and decides nothing.
	RoleViewer Role = "VIEWER"
	// RoleDevOps requests, renews and revokes certificates of its own team; requests in its
	// team's profiles are approved automatically.
	RoleDevOps Role = "DEVOPS"
	// RoleSecOps approves and rejects requests by hand, manages profiles and CAs, and acts on
	// every team's certificates.
	RoleSecOps Role = "SEC_OPS"
	// RoleAdmin may do anything as a break-glass override; every decision it makes that no other
	// role of the actor allows is marked Override in its events.
	RoleAdmin Role = "ADMIN"
	// RoleAgent is a ledger-agent on a host, bound to one agent id (its Subject is
	// AgentSubjectPrefix + id) and its team. It acts only on its own tasks. Only an enrolled
	// agent's client certificate grants it: ParseRole does not know it, so no bearer token,
	// JWT or API token can claim it, and it ranks below every other role.
	RoleAgent Role = "AGENT"
)

// ParseRole returns the role named s. Names are case-insensitive and may carry a "ROLE_"
// prefix, so "devops" and "ROLE_DEVOPS" both name RoleDevOps.
func ParseRole(s string) (Role, error) {
	name := strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "ROLE_")
	switch r := Role(name); r {
	case RoleViewer, RoleDevOps, RoleSecOps, RoleAdmin:
		return r, nil
	}
	return "", invalidf("unknown role %q: want VIEWER, DEVOPS, SEC_OPS or ADMIN", s)
}

// rank orders the roles by what they allow: VIEWER < DEVOPS < SEC_OPS < ADMIN. An unknown role
// ranks 0, below every role.
func (r Role) rank() int {
	switch r {
	case RoleViewer:
		return 1
	case RoleDevOps:
		return 2
	case RoleSecOps:
		return 3
	case RoleAdmin:
		return 4
	}
	return 0
}

// Actor is who asks for a decision: the authenticated subject, its roles and its team.
type Actor struct {
	// Subject identifies the user, agent or token, for example a JWT subject.
	Subject string
	// Roles are the roles the actor holds.
	Roles []Role
	// Team is the actor's team; team-scoped roles act only within it.
	Team string
}

// Has reports whether the actor holds role r.
func (a Actor) Has(r Role) bool {
	for _, have := range a.Roles {
		if have == r {
			return true
		}
	}
	return false
}

// highestRole returns the actor's role of the highest rank, "" when it has none.
func (a Actor) highestRole() Role {
	var top Role
	for _, r := range a.Roles {
		if r.rank() > top.rank() {
			top = r
		}
	}
	return top
}

// devOpsOf reports whether the actor holds DEVOPS in the given, non-empty team.
func (a Actor) devOpsOf(team string) bool {
	return team != "" && a.Team == team && a.Has(RoleDevOps)
}

// authorize applies the rule "allowed, else ADMIN override, else forbidden". It returns
// override=true when only the ADMIN role lets the actor act.
func authorize(a Actor, allowed bool, action string) (override bool, err error) {
	switch {
	case a.Subject == "":
		return false, forbiddenf("%s: the actor has no subject", action)
	case allowed:
		return false, nil
	case a.Has(RoleAdmin):
		return true, nil
	}
	return false, forbiddenf("%s: %s may not do this (roles %v, team %q)", action, a.Subject, a.Roles, a.Team)
}

// authorizeAdministration allows SEC_OPS to manage profiles and CAs.
func authorizeAdministration(a Actor, action string) (bool, error) {
	return authorize(a, a.Has(RoleSecOps), action)
}

// authorizeRequest allows SEC_OPS to request for any team, and DEVOPS to request for its own
// team in its team's profiles or in shared profiles (those without a team).
func authorizeRequest(a Actor, p *Profile, team string) (bool, error) {
	devops := a.devOpsOf(team) && (p.Team() == "" || p.Team() == team)
	agent := agentOf(a, team) && (p.Team() == "" || p.Team() == team)
	return authorize(a, a.Has(RoleSecOps) || devops || agent || agentEnrolls(a, p, team), "request certificate")
}

// agentOf reports whether the actor is an agent of the given, non-empty team. An agent requests
// certificates only for the deployments it was given (commands.IssueDeployment), like DEVOPS of
// its team but never approved automatically beyond its own enrollment.
func agentOf(a Actor, team string) bool {
	_, agent := AgentIDOf(a)
	return agent && team != "" && a.Team == team
}

// agentEnrolls reports whether a is an agent requesting its own client certificate: in the
// agents' profile, for its own team. The join token SEC_OPS minted for it is the approval.
func agentEnrolls(a Actor, p *Profile, team string) bool {
	_, agent := AgentIDOf(a)
	return agent && p.Name() == AgentProfile && team == a.Team
}

// autoApproves reports whether a request by a in profile p needs no manual approval: the
// profile requires none, or a is DEVOPS of the team that owns the profile.
func autoApproves(a Actor, p *Profile) bool {
	return !p.RequiresApproval() || a.devOpsOf(p.Team()) || agentEnrolls(a, p, a.Team)
}

// authorizeApproval allows SEC_OPS to approve a request it did not make itself (four eyes).
func authorizeApproval(a Actor, requestedBy string) (bool, error) {
	return authorize(a, a.Has(RoleSecOps) && a.Subject != requestedBy, "approve certificate")
}

// authorizeRejection allows SEC_OPS to reject any request.
func authorizeRejection(a Actor) (bool, error) {
	return authorize(a, a.Has(RoleSecOps), "reject certificate")
}

// authorizeManagement allows SEC_OPS, and DEVOPS of the certificate's team, to renew or revoke.
func authorizeManagement(a Actor, team, action string) (bool, error) {
	return authorize(a, a.Has(RoleSecOps) || a.devOpsOf(team), action)
}
