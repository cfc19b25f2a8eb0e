package e2e_test

import (
	"crypto/tls"
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
// backoff and takes the next task; then stops the agent, deploys, and starts it again: the
// task waited in the ledger, and each deployment ends once.
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
	d := f.ended(t, f.deploy(t, target("after-ledgerd"), "www.example.com"))
	assert.Equal(t, "succeeded", d["status"], "the agent came back to the restarted ledgerd: %v", d)

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

	out, code := f.ledgerctl(t, "agent", "revoke", a.id, "--reason", "host decommissioned")
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
