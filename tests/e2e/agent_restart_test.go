package e2e_test

import (
	"crypto/tls"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/api/wire"
)

// TestAgentTasksSurviveRestarts restarts ledgerd under a running agent, which reconnects with
// backoff and takes the next task (deployed with ledgerctl, then deployed again as a renewal
// would); then stops the agent, deploys, and starts it again: the task waited in the ledger,
// and each deployment ends once. A revoked agent is refused at once.
func TestAgentTasksSurviveRestarts(t *testing.T) {
	f := startFleet(t)
	a := f.enroll(t, nil)
	a.start(t)
	target := func(name string) map[string]any {
		return map[string]any{"agent_id": a.id, "format": "pem", "cert_path": filepath.Join(a.root, name+".pem"),
			"key_path": filepath.Join(a.root, name+".key")}
	}
	require.Equal(t, "succeeded", f.ended(t, f.deploy(t, target("before"), "www.example.com"))["status"])

	f.restart(t)
	out, code := f.ledgerctl(t, "deploy", "create", "--agent", a.id, "--ca", f.webCA, "--profile", "web", "--team", "payments",
		"--dns", "www.example.com", "--format", "pem", "--cert-path", filepath.Join(a.root, "after.pem"),
		"--key-path", filepath.Join(a.root, "after.key"), "-o", "json")
	require.Equalf(t, 0, code, "%s", out)
	var created map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &created))
	d := f.ended(t, created["id"].(string))
	assert.Equal(t, "succeeded", d["status"], "the agent came back to the restarted ledgerd: %v", d)

	out, code = f.ledgerctl(t, "deploy", "again", d["id"].(string), "-o", "json")
	require.Equalf(t, 0, code, "%s", out)
	require.NoError(t, json.Unmarshal([]byte(out), &created))
	again := f.ended(t, created["id"].(string))
	assert.Equal(t, "succeeded", again["status"], "%v", again)
	assert.Equal(t, d["id"], again["redeploy_of"])
	assert.Equal(t, d["target"], again["target"], "the same target")
	assert.NotEqual(t, d["fingerprint"], again["fingerprint"], "a new key and certificate")

	stopWithin(a.cmd, func(sig os.Signal) { _ = a.cmd.Process.Signal(sig) })
	id := f.deploy(t, target("while-away"), "www.example.com")
	a.start(t)
	d = f.ended(t, id)
	assert.Equal(t, "succeeded", d["status"], "the task waited for the agent: %v", d)
	_, err := os.Stat(filepath.Join(a.root, "while-away.pem"))
	require.NoError(t, err)
	keys, err := os.ReadDir(filepath.Join(a.dir, "state", "keys"))
	require.NoError(t, err)
	assert.Empty(t, keys, "an ended deployment's key is not kept")

	out, code = f.ledgerctl(t, "agent", "revoke", a.id, "--reason", "host decommissioned")
	require.Equalf(t, 0, code, "%s", out)
	identity, err := tls.LoadX509KeyPair(filepath.Join(a.dir, "agent.pem"), filepath.Join(a.dir, "agent.key"))
	require.NoError(t, err)
	as := client.New(f.tlsURL, "", client.WithHTTPClient(tlsClient(serverPoolOf(t, f.serverCA), &identity, tls.VersionTLS13)))
	require.Eventually(t, func() bool {
		var refused *client.Error
		return errors.As(as.Heartbeat(t.Context(), wire.Heartbeat{Host: "h", Version: "1", State: "idle"}), &refused) && refused.Status == http.StatusUnauthorized
	}, 10*time.Second, 50*time.Millisecond, "a revoked agent is refused")

	out, code = f.ledgerctl(t, "audit", "verify")
	require.Equalf(t, 0, code, "every step is on the verified record: %s", out)
}
