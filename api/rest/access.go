package rest

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api"
	"github.com/certledger/certledger/domain"
)

// Access names who may call a route. Every route in the table has one; the matrix below is the
// only place that says which roles an Access lets in. The domain then applies the rules that
// need the resource: a team's scope, four eyes on approvals, token minting bounded by the
// caller's role, and the ADMIN override that its events record.
type Access string

// The access classes of the routes.
const (
	// Public routes need no token: CA certificates and chains (like /ocsp and /crl, which
	// live outside the REST API), the OpenAPI document.
	Public Access = "public"
	// Read routes show the ledger: VIEWER and SEC_OPS everything, DEVOPS its team's
	// certificates and profiles (readScope), ADMIN everything.
	Read Access = "read"
	// Request routes request, renew and revoke certificates: DEVOPS for its team, SEC_OPS.
	Request Access = "request"
	// Approve routes approve, reject and issue requests by hand: SEC_OPS.
	Approve Access = "approve"
	// Administer routes manage CAs and profiles: SEC_OPS.
	Administer Access = "administer"
	// Self routes are a principal's own: who am I, and API tokens, which nobody mints above
	// their own role.
	Self Access = "self"
	// AgentSelf routes are a ledger-agent's own: its heartbeat, its tasks and their reports.
	// Only AGENT is let in — not even ADMIN, which has no agent id to act as — and the
	// commands then refuse another agent's tasks.
	AgentSelf Access = "agent"
)

// matrix lists the roles each Access lets in. ADMIN is in every row but AgentSelf: it is the
// break-glass override, and the domain marks the events of decisions only ADMIN allowed. AGENT
// is in AgentSelf only.
var matrix = map[Access][]domain.Role{
	Read:       {domain.RoleViewer, domain.RoleDevOps, domain.RoleSecOps, domain.RoleAdmin},
	Request:    {domain.RoleDevOps, domain.RoleSecOps, domain.RoleAdmin},
	Approve:    {domain.RoleSecOps, domain.RoleAdmin},
	Administer: {domain.RoleSecOps, domain.RoleAdmin},
	Self:       {domain.RoleViewer, domain.RoleDevOps, domain.RoleSecOps, domain.RoleAdmin},
	AgentSelf:  {domain.RoleAgent},
}

// Allows reports whether an actor may call routes of access a. An unknown Access allows
// nobody: deny by default.
func Allows(a Access, actor domain.Actor) bool {
	if a == Public {
		return true
	}
	for _, r := range matrix[a] {
		if actor.Has(r) {
			return true
		}
	}
	return false
}

// authorize is the middleware that lets in only actors the route's Access allows.
func authorize(a Access) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			actor := actorOf(c)
			if !Allows(a, actor) {
				return forbidden("%s (roles %v) may not call %s %s: it needs one of %v",
					actor.Subject, actor.Roles, c.Request().Method, c.Path(), matrix[a])
			}
			return next(c)
		}
	}
}

// readScope returns the one team whose certificates and profiles the caller may read, and
// all=true when it reads every team's: VIEWER, SEC_OPS and ADMIN read everything, DEVOPS alone
// its own team (none, when it has no team).
func readScope(actor domain.Actor) (team string, all bool) {
	if actor.Has(domain.RoleViewer) || actor.Has(domain.RoleSecOps) || actor.Has(domain.RoleAdmin) {
		return "", true
	}
	return actor.Team, false
}

// mayRead reports whether the caller may read a resource of the given team; shared resources
// (no team) are readable by every caller with Read access.
func mayRead(actor domain.Actor, team string) bool {
	scope, all := readScope(actor)
	return all || team == "" || (scope != "" && team == scope)
}

// seesKeys reports whether the caller may see where keys live (HSM key labels): SEC_OPS and
// ADMIN; VIEWER and DEVOPS see no keys.
func seesKeys(actor domain.Actor) bool {
	return actor.Has(domain.RoleSecOps) || actor.Has(domain.RoleAdmin)
}

// forbidden is a 403 problem.
func forbidden(format string, args ...any) error {
	return problemOf(&domain.Error{Kind: domain.KindForbidden, Message: fmt.Sprintf(format, args...)})
}

// notVisible is the 403 for a resource of another team.
func notVisible(what string) error {
	return &api.Problem{Type: problemTypes[domain.KindForbidden].typ, Title: http.StatusText(http.StatusForbidden),
		Status: http.StatusForbidden, Detail: what + " belongs to another team"}
}

// Protect returns the middleware that puts a route outside the table, such as /metrics, under
// the same authentication and access check as the routes of the given access.
func Protect(auth Authenticator, a Access) []echo.MiddlewareFunc {
	return []echo.MiddlewareFunc{authenticate(auth), authorize(a), withAccess(a)}
}
