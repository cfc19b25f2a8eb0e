package rest_test

import (
	"net/http"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

// The matrix's two agents, of team payments: "agent", whose tasks the fixtures prepare, and
// "agent-other", which must not touch them.
const (
	agentID      = "a9e00000-0000-4000-8000-000000000001"
	otherAgentID = "a9e00000-0000-4000-8000-000000000002"
)

// agentPrincipals are the enrolled agents, as the TLS listener would authenticate them.
func agentPrincipals() []principal {
	return []principal{
		{name: "agent", subject: domain.AgentSubjectPrefix + agentID, token: "tok-agent", roles: []string{"AGENT"}, team: teamPayments, authenticated: true, static: true},
		{name: "agent-other", subject: domain.AgentSubjectPrefix + otherAgentID, token: "tok-agent-other", roles: []string{"AGENT"}, team: teamPayments, authenticated: true, static: true},
	}
}

// enrollAgents makes the agent CA and profiles, and enrolls the matrix's agents for real.
func (w *matrixWorld) enrollAgents() {
	w.t.Helper()
	w.agentCA = w.mustCreate("/api/v1/cas", map[string]any{"name": "Matrix Agents", "common_name": "Matrix Agents",
		"key_algorithm": "ecdsa-p256", "parent_id": w.caID})["id"].(string)
	w.mustCreate("/api/v1/profiles", domain.AgentProfileSpec())
	w.mustCreate("/api/v1/profiles", map[string]any{"name": "agent-web", "team": teamPayments, "allowed_domains": []string{"example.com"},
		"key_types": []string{"ecdsa-p256"}, "max_validity_days": 90})
	for _, id := range []string{agentID, otherAgentID} {
		w.enroll(w.joinToken(id))
	}
}

// joinToken mints a join token as admin, for agent id ("" lets the server choose).
func (w *matrixWorld) joinToken(id string) map[string]any {
	return w.mustCreate("/api/v1/agents/join-tokens", map[string]any{"agent_id": id, "team": teamPayments, "ca_id": w.agentCA})
}

func (w *matrixWorld) enrollBody(token map[string]any) map[string]any {
	return map[string]any{"join_token": token["token"], "csr": csr(w.t, domain.AgentDNSName(token["agent_id"].(string))),
		"host": "matrix-host", "version": "test"}
}

func (w *matrixWorld) enroll(token map[string]any) {
	w.t.Helper()
	status, out := call(w.t, w.srv, "POST", "/api/v1/agents/enroll", "", w.enrollBody(token))
	require.Equalf(w.t, http.StatusCreated, status, "enroll: %v", out)
}

// deploymentBody is a deployment of a fresh name to the matrix's agent.
func (w *matrixWorld) deploymentBody() map[string]any {
	return map[string]any{"ca_id": w.caID, "profile": "agent-web", "team": teamPayments, "dns_names": []string{w.unique("www")},
		"target": map[string]any{"agent_id": agentID, "format": "pem", "cert_path": "/srv/tls/www.pem", "key_path": "/srv/tls/www.key", "hook": "nginx"}}
}

// deployment requests a deployment to the matrix's agent as admin and returns its id and names.
func (w *matrixWorld) deployment() (string, []string) {
	w.t.Helper()
	body := w.deploymentBody()
	return w.mustCreate("/api/v1/deployments", body)["id"].(string), body["dns_names"].([]string)
}

var otherAgentForbidden = map[string]int{"agent-other": http.StatusForbidden}

func init() {
	for k, f := range map[string]fixture{
		"POST /api/v1/agents/join-tokens": {prepare: func(w *matrixWorld) (string, any) {
			return "/api/v1/agents/join-tokens", map[string]any{"team": teamPayments, "ca_id": w.agentCA, "ttl": "10m"}
		}, ok: http.StatusCreated},
		"POST /api/v1/agents/enroll": {prepare: func(w *matrixWorld) (string, any) {
			return "/api/v1/agents/enroll", w.enrollBody(w.joinToken(""))
		}, ok: http.StatusCreated},
		"GET /api/v1/agents": {prepare: static("/api/v1/agents", nil), ok: http.StatusOK},
		"POST /api/v1/agents/:id/revoke": {prepare: func(w *matrixWorld) (string, any) {
			return "/api/v1/agents/" + w.joinToken("")["agent_id"].(string) + "/revoke", map[string]any{"reason": "never used"}
		}, ok: http.StatusNoContent},
		"POST /api/v1/agent/heartbeat": {prepare: static("/api/v1/agent/heartbeat", map[string]any{"host": "h", "version": "1", "state": "idle"}),
			ok: http.StatusNoContent},
		"GET /api/v1/agent/tasks": {prepare: static("/api/v1/agent/tasks?after=0", nil), ok: http.StatusOK},
		"POST /api/v1/agent/deployments/:id/csr": {prepare: func(w *matrixWorld) (string, any) {
			id, names := w.deployment()
			return "/api/v1/agent/deployments/" + id + "/csr", map[string]any{"csr": csr(w.t, names...)}
		}, ok: http.StatusOK, per: otherAgentForbidden},
		"POST /api/v1/agent/deployments/:id/report": {prepare: func(w *matrixWorld) (string, any) {
			id, _ := w.deployment()
			return "/api/v1/agent/deployments/" + id + "/report", map[string]any{"succeeded": false, "reason": "refused: outside the allowed roots"}
		}, ok: http.StatusNoContent, per: otherAgentForbidden},
		"POST /api/v1/deployments": {prepare: func(w *matrixWorld) (string, any) { return "/api/v1/deployments", w.deploymentBody() },
			ok: http.StatusCreated, per: otherTeamForbidden},
		"GET /api/v1/deployments": {prepare: static("/api/v1/deployments", nil), ok: http.StatusOK},
		"POST /api/v1/deployments/:id/redeploy": {prepare: func(w *matrixWorld) (string, any) {
			id, _ := w.deployment()
			return "/api/v1/deployments/" + id + "/redeploy", nil
		}, ok: http.StatusCreated, per: otherTeamForbidden},
	} {
		fixtures[k] = f
	}
}
