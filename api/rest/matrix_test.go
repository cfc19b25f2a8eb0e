package rest_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/rest"
)

// The security model, written out here apart from the code under test: which roles each
// access class lets in, and the class of each route.
var (
	rolesOf = map[rest.Access][]string{
		rest.Read:       {"VIEWER", "DEVOPS", "SEC_OPS", "ADMIN"},
		rest.Request:    {"DEVOPS", "SEC_OPS", "ADMIN"},
		rest.Approve:    {"SEC_OPS", "ADMIN"},
		rest.Administer: {"SEC_OPS", "ADMIN"},
		rest.Self:       {"VIEWER", "DEVOPS", "SEC_OPS", "ADMIN"},
		rest.AgentSelf:  {"AGENT"},
	}
	accessOf = map[string]rest.Access{
		"POST /api/v1/cas": rest.Administer, "GET /api/v1/cas": rest.Read, "GET /api/v1/cas/:id": rest.Read,
		"GET /api/v1/cas/:id/certificate": rest.Public, "GET /api/v1/cas/:id/chain": rest.Public,
		"GET /api/v1/cas/:id/history": rest.Read, "POST /api/v1/cas/:id/revoke": rest.Administer,
		"POST /api/v1/profiles": rest.Administer, "GET /api/v1/profiles": rest.Read,
		"POST /api/v1/discovery/scans": rest.Administer, "GET /api/v1/discovery/certificates": rest.Read,
		"POST /api/v1/discovery/certificates/:fingerprint/adopt": rest.Administer, "GET /api/v1/renewals": rest.Read,
		"GET /api/v1/profiles/:name": rest.Read, "PUT /api/v1/profiles/:name": rest.Administer,
		"POST /api/v1/certificates": rest.Request, "GET /api/v1/certificates": rest.Read,
		"GET /api/v1/certificates/:id": rest.Read, "GET /api/v1/certificates/:id/certificate": rest.Read,
		"GET /api/v1/certificates/:id/history": rest.Read, "POST /api/v1/certificates/:id/approve": rest.Approve,
		"POST /api/v1/certificates/:id/reject": rest.Approve, "POST /api/v1/certificates/:id/issue": rest.Approve,
		"POST /api/v1/certificates/:id/revoke": rest.Request, "POST /api/v1/certificates/:id/renew": rest.Request,
		"POST /api/v1/signing-keys": rest.Administer, "GET /api/v1/signing-keys/:id": rest.Read,
		"POST /api/v1/signing-keys/:id/disable": rest.Administer, "POST /api/v1/signing-keys/:id/enable": rest.Administer,
		"POST /api/v1/signing-keys/:id/revoke": rest.Administer, "POST /api/v1/signing-keys/:id/signatures": rest.Request,
		"GET /api/v1/pending-signatures": rest.Read, "POST /api/v1/signing-keys/:id/rotate": rest.Administer, "GET /api/v1/signing-keys/:id/signatures/:sid": rest.Read, "POST /api/v1/signing-keys/:id/signatures/:sid/approve": rest.Approve,
		"POST /api/v1/signing-keys/:id/signatures/:sid/refuse": rest.Approve,
		"GET /api/v1/me": rest.Self, "GET /api/v1/openapi.json": rest.Self,
		"POST /api/v1/tokens": rest.Self, "GET /api/v1/tokens": rest.Self, "GET /api/v1/tokens/:id": rest.Self,
		"POST /api/v1/tokens/:id/revoke": rest.Self,
		"POST /api/v1/scep/challenges":   rest.Administer,
		"GET /api/v1/events/stream":      rest.Read,
		"GET /api/v1/audit/key":          rest.Read, "GET /api/v1/audit/checkpoints/latest": rest.Read,
		"GET /api/v1/audit/proofs/inclusion/:event_id": rest.Read, "GET /api/v1/audit/proofs/consistency": rest.Read,
		"GET /api/v1/reports/expiry": rest.Read, "GET /api/v1/reports/compliance": rest.Read, "GET /api/v1/reports/cost": rest.Read,
		"GET /api/v1/reports/pqc":         rest.Read,
		"POST /api/v1/agents/join-tokens": rest.Administer, "POST /api/v1/agents/enroll": rest.Public,
		"GET /api/v1/agents": rest.Read, "POST /api/v1/agents/:id/revoke": rest.Administer,
		"POST /api/v1/agent/heartbeat": rest.AgentSelf, "GET /api/v1/agent/tasks": rest.AgentSelf,
		"POST /api/v1/agent/deployments/:id/csr": rest.AgentSelf, "POST /api/v1/agent/deployments/:id/report": rest.AgentSelf,
		"POST /api/v1/deployments": rest.Request, "GET /api/v1/deployments": rest.Read,
		"POST /api/v1/deployments/:id/redeploy": rest.Request,
		"POST /api/v1/acme/eab-keys":            rest.Administer,
		"GET /api/v1/cluster":                   rest.Administer,
	}
)

// expected is the status a principal must get from a route.
func expected(access rest.Access, f fixture, p principal) int {
	switch {
	case access == rest.Public:
		return f.ok // whatever token comes with the request
	case !p.authenticated:
		return http.StatusUnauthorized
	case !slices.ContainsFunc(p.roles, func(r string) bool { return slices.Contains(rolesOf[access], r) }):
		return http.StatusForbidden
	}
	if s, ok := f.per[p.answersLike()]; ok {
		return s
	}
	return f.ok
}

// TestAccessMatrix calls every route of the table as every principal and checks the status
// against the security model: anonymous and unknown tokens 401, roles outside the route's
// class 403, another team's resources 403, everyone else the route's own answer.
func TestAccessMatrix(t *testing.T) {
	w := newMatrixWorld(t)
	require.NotEmpty(t, w.routes)
	for _, r := range w.routes {
		key := r.Method + " " + rest.Prefix + r.Path
		f, ok := fixtures[key]
		require.Truef(t, ok, "route %s has no fixture in the access matrix test: add one", key)
		want, ok := accessOf[key]
		require.Truef(t, ok, "route %s has no access class in the test's security model: add one", key)
		require.Equalf(t, want, r.Access, "route %s has the wrong access class", key)
		t.Run(key, func(t *testing.T) {
			for _, p := range w.principals {
				path, body := f.prepare(w)
				status, out := call(t, w.srv, r.Method, path, p.token, body)
				assert.Equalf(t, expected(r.Access, f, p), status, "%s as %s: %v", key, p.name, out)
				if status == http.StatusUnauthorized || status == http.StatusForbidden {
					assert.NotEmptyf(t, out["type"], "%s as %s answers problem+json", key, p.name)
				}
			}
		})
	}
	for key := range fixtures {
		assert.Truef(t, slices.ContainsFunc(w.routes, func(r rest.Route) bool { return r.Method+" "+rest.Prefix+r.Path == key }),
			"fixture %s names no route", key)
	}
}
