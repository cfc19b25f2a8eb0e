package rest_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/tests/clienttest"
)

// TestTaskPollsWakeOnTheirAgentsDeployments long-polls the tasks of several agents at once: a
// deployment to one agent answers that agent's poll with the task, and only that agent's; the
// others keep waiting. Run with -race: the waiter is shared by every poll.
func TestTaskPollsWakeOnTheirAgentsDeployments(t *testing.T) {
	ids := []string{"a9e00000-0000-4000-8000-00000000000a", "a9e00000-0000-4000-8000-00000000000b", "a9e00000-0000-4000-8000-00000000000c"}
	tokens := map[string]domain.Actor{}
	for _, id := range ids {
		tokens["tok-"+id] = domain.Actor{Subject: domain.AgentSubjectPrefix + id, Roles: []domain.Role{domain.RoleAgent}, Team: "web"}
	}
	srv := clienttest.StartWith(t, clienttest.Options{Tokens: tokens}).Server
	ca := setup(t, srv)
	mustPost := func(path string, body any) map[string]any {
		status, out := call(t, srv, "POST", path, adminToken, body)
		require.Truef(t, status >= 200 && status < 300, "%s: %d %v", path, status, out)
		return out
	}
	agentCA := mustPost("/api/v1/cas", map[string]any{"name": "Agents", "common_name": "Agents", "key_algorithm": "ecdsa-p256", "parent_id": ca})["id"]
	mustPost("/api/v1/profiles", domain.AgentProfileSpec())
	for _, id := range ids {
		tok := mustPost("/api/v1/agents/join-tokens", map[string]any{"agent_id": id, "team": "web", "ca_id": agentCA})
		status, out := call(t, srv, "POST", "/api/v1/agents/enroll", "", map[string]any{"join_token": tok["token"],
			"csr": csr(t, domain.AgentDNSName(id)), "host": "h", "version": "1"})
		require.Equal(t, http.StatusCreated, status, out)
	}
	status, first := call(t, srv, "GET", "/api/v1/agent/tasks", "tok-"+ids[0], nil)
	require.Equal(t, http.StatusOK, status, first)

	var wg sync.WaitGroup
	answers := make([]map[string]any, len(ids))
	took := make([]time.Duration, len(ids))
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			_, answers[i] = call(t, srv, "GET", "/api/v1/agent/tasks?after=0&wait=3s", "tok-"+id, nil)
			took[i] = time.Since(start)
		}()
	}
	time.Sleep(300 * time.Millisecond) // the polls are waiting
	dep := mustPost("/api/v1/deployments", map[string]any{"ca_id": ca, "profile": "web", "team": "web", "dns_names": []string{"www.example.com"},
		"target": map[string]any{"agent_id": ids[1], "format": "jks", "keystore_path": "/srv/app.jks"}})
	wg.Wait()
	items := answers[1]["items"].([]any)
	require.Len(t, items, 1)
	assert.Equal(t, dep["id"], items[0].(map[string]any)["id"])
	assert.Less(t, took[1], 2500*time.Millisecond, "woken by its deployment, not by the timeout")
	for _, i := range []int{0, 2} {
		assert.Empty(t, answers[i]["items"], "agent %d has no task", i)
		assert.GreaterOrEqual(t, took[i], 3*time.Second, "agent %d waited for the whole wait", i)
	}
	status, out := call(t, srv, "GET", "/api/v1/agent/tasks?wait=2m", "tok-"+ids[0], nil)
	assert.Equal(t, http.StatusBadRequest, status, "a wait above the bound: %v", out)
}
