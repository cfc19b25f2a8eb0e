package e2e_test

import (
	"crypto/tls"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/api/wire"
)

// TestAgentsDeployToNginxAndKeystores runs ledgerd, two real ledger-agent processes and
// Debian's nginx: the agents enroll (a replayed join token is refused), report heartbeats, and
// deploy certificates whose keys they make — PEM to nginx, reloaded by a named hook and checked
// with openssl s_client; a JKS checked with keytool; a PKCS#12 checked with openssl pkcs12.
// Paths outside the allowed roots, traversal and symlinks out are refused; an agent cannot
// touch another agent's task; an agent killed with SIGKILL mid-deployment ends it once,
// rolled back, when it restarts.
func TestAgentsDeployToNginxAndKeystores(t *testing.T) {
	f := startFleet(t)
	web := f.enroll(t, nil)
	n := startNginx(t, web.root)
	// "slow" reloads nginx, then hangs while the sentinel file exists: the agent is killed there.
	sentinel := filepath.Join(t.TempDir(), "hang")
	slowHook := `["/bin/sh","-c","` + strings.Join(n.reload(), " ") + ` && while [ -f ` + sentinel + ` ]; do sleep 0.1; done"]`
	require.NoError(t, os.WriteFile(web.config, []byte(strings.Replace(mustRead(t, web.config), `"hooks":null`,
		`"hooks":{"nginx":["`+strings.Join(n.reload(), `","`)+`"],"slow":`+slowHook+`}`, 1)), 0o600))
	stores := f.enroll(t, nil)
	info, err := os.Stat(filepath.Join(web.dir, "agent.key"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the agent's key is the host's alone")

	t.Run("a replayed join token is refused and changes nothing", func(t *testing.T) {
		tok := f.joinToken(t)
		_, code := agentBinary(t, "enroll", "--url", f.tlsURL, "--join-token", tok["token"].(string), "--ca-file", f.serverCA, "--dir", t.TempDir())
		require.Equal(t, 0, code)
		require.Eventually(t, func() bool { return agentStatus(t, f, tok["agent_id"].(string)) == "enrolled" }, 10*time.Second, 50*time.Millisecond)
		before := f.get(t, "/api/v1/agents")
		out, code := agentBinary(t, "enroll", "--url", f.tlsURL, "--join-token", tok["token"].(string), "--ca-file", f.serverCA, "--dir", t.TempDir())
		assert.Equal(t, 1, code)
		assert.Contains(t, out, "already used")
		assert.Equal(t, before, f.get(t, "/api/v1/agents"))
	})

	web.start(t)
	stores.start(t)
	require.Eventually(t, func() bool {
		seen := 0
		for _, a := range f.get(t, "/api/v1/agents")["items"].([]any) {
			if a := a.(map[string]any); (a["id"] == web.id || a["id"] == stores.id) && a["status"] == "enrolled" && a["version"] == "0.1.0" && a["state"] == "idle" {
				seen++
			}
		}
		return seen == 2
	}, 30*time.Second, 100*time.Millisecond, "both agents report heartbeats")

	pem := map[string]any{"agent_id": web.id, "format": "pem", "cert_path": filepath.Join(web.root, "www.pem"),
		"key_path": filepath.Join(web.root, "www.key"), "hook": "nginx", "verify_endpoint": n.addr, "server_name": "www.example.com"}
	first := f.ended(t, f.deploy(t, pem, "www.example.com"))
	require.Equal(t, "succeeded", first["status"], "%v", first)
	assert.Equal(t, first["fingerprint"], first["served_fingerprint"])
	assert.Equal(t, first["fingerprint"], servedFingerprint(t, n.addr, "www.example.com"), "openssl s_client sees it served")
	keyInfo, err := os.Stat(filepath.Join(web.root, "www.key"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), keyInfo.Mode().Perm())

	jks := filepath.Join(stores.root, "app.jks")
	d := f.ended(t, f.deploy(t, map[string]any{"agent_id": stores.id, "format": "jks", "keystore_path": jks}, "app.example.com"))
	require.Equal(t, "succeeded", d["status"], "%v", d)
	listed, err := exec.Command("keytool", "-list", "-v", "-keystore", jks, "-storepass", "changeit").CombinedOutput()
	require.NoErrorf(t, err, "%s", listed)
	assert.Contains(t, string(listed), "PrivateKeyEntry")
	assert.Contains(t, strings.ToLower(strings.ReplaceAll(string(listed), ":", "")), d["fingerprint"], "keytool reads the issued certificate")

	p12 := filepath.Join(stores.root, "app.p12")
	d = f.ended(t, f.deploy(t, map[string]any{"agent_id": stores.id, "format": "pkcs12", "keystore_path": p12}, "app.example.com"))
	require.Equal(t, "succeeded", d["status"], "%v", d)
	leaf, err := exec.Command("sh", "-c", "openssl pkcs12 -in "+p12+" -passin pass:changeit -nokeys -clcerts | openssl x509 -noout -fingerprint -sha256").CombinedOutput()
	require.NoErrorf(t, err, "%s", leaf)
	assert.Equal(t, d["fingerprint"], normalizeFingerprint(string(leaf)))

	out, code := f.ledgerctl(t, "agent", "list")
	require.Equalf(t, 0, code, "%s", out)
	assert.Contains(t, out, web.id)
	assert.Contains(t, out, "0.1.0")
	out, code = f.ledgerctl(t, "deploy", "list")
	require.Equalf(t, 0, code, "%s", out)
	assert.Contains(t, out, d["id"])
	assert.Contains(t, out, "succeeded")

	t.Run("refusals", func(t *testing.T) {
		status, body := f.postStatus(t, "/api/v1/deployments", map[string]any{"ca_id": f.webCA, "profile": "web", "team": "payments",
			"dns_names": []string{"www.example.com"}, "target": map[string]any{"agent_id": web.id, "format": "pem",
				"cert_path": web.root + "/../etc/www.pem", "key_path": web.root + "/www.key"}})
		assert.Equal(t, http.StatusBadRequest, status, "path traversal is refused by the ledger: %s", body)
		outside := t.TempDir()
		require.NoError(t, os.Symlink(outside, filepath.Join(web.root, "out")))
		for _, path := range []string{filepath.Join(outside, "www.pem"), filepath.Join(web.root, "out", "www.pem")} {
			d := f.ended(t, f.deploy(t, map[string]any{"agent_id": web.id, "format": "pem", "cert_path": path,
				"key_path": filepath.Join(filepath.Dir(path), "www.key")}, "www.example.com"))
			assert.Equal(t, "failed", d["status"])
			assert.Contains(t, d["reason"], "outside the allowed roots")
			entries, _ := os.ReadDir(outside)
			assert.Empty(t, entries, "nothing was written outside")
		}
		d := f.ended(t, f.deploy(t, map[string]any{"agent_id": web.id, "format": "pem", "cert_path": filepath.Join(web.root, "x.pem"),
			"key_path": filepath.Join(web.root, "x.key"), "hook": "rm-rf"}, "www.example.com"))
		assert.Contains(t, d["reason"], `no hook "rm-rf"`)

		other := f.deploy(t, map[string]any{"agent_id": web.id, "format": "pem", "cert_path": filepath.Join(web.root, "y.pem"),
			"key_path": filepath.Join(web.root, "y.key")}, "www.example.com")
		identity, err := tls.LoadX509KeyPair(filepath.Join(stores.dir, "agent.pem"), filepath.Join(stores.dir, "agent.key"))
		require.NoError(t, err)
		as := client.New(f.tlsURL, "", client.WithHTTPClient(tlsClient(serverPoolOf(t, f.serverCA), &identity, tls.VersionTLS13)))
		_, err = as.DeploymentCSR(t.Context(), other, "x")
		var refused *client.Error
		require.ErrorAs(t, err, &refused)
		assert.Equal(t, http.StatusForbidden, refused.Status, "another agent's task: %v", err)
		assert.Error(t, as.ReportDeployment(t.Context(), other, wire.DeploymentReport{Reason: "not mine"}))
		assert.Equal(t, "succeeded", f.ended(t, other)["status"], "the right agent still does it")
	})

	t.Run("kill -9 mid-deployment ends it once, rolled back", func(t *testing.T) {
		before := mustRead(t, filepath.Join(web.root, "www.pem"))
		require.NoError(t, os.WriteFile(sentinel, nil, 0o600))
		slow := map[string]any{}
		for k, v := range pem {
			slow[k] = v
		}
		slow["hook"], slow["verify_endpoint"] = "slow", ""
		id := f.deploy(t, slow, "www.example.com")
		require.Eventually(t, func() bool {
			return mustRead(t, filepath.Join(web.root, "www.pem")) != before && servedFingerprint(t, n.addr, "www.example.com") != first["fingerprint"]
		}, 30*time.Second, 50*time.Millisecond, "the agent wrote the new files, nginx reloaded them, the hook hangs")
		require.NoError(t, web.cmd.Process.Kill())
		_ = web.cmd.Wait()
		require.NoError(t, os.Remove(sentinel))
		web.start(t)
		d := f.ended(t, id)
		assert.Equal(t, "failed", d["status"])
		assert.Equal(t, true, d["rolled_back"], "%v", d)
		assert.Equal(t, before, mustRead(t, filepath.Join(web.root, "www.pem")), "the previous files are back")
		// The rollback reruns the hook; nginx's reload starts new workers a moment later.
		assert.Eventually(t, func() bool { return servedFingerprint(t, n.addr, "www.example.com") == first["fingerprint"] },
			10*time.Second, 50*time.Millisecond, "nginx serves the previous certificate")
	})
}

func agentStatus(t *testing.T, f *fleet, id string) any {
	for _, a := range f.get(t, "/api/v1/agents")["items"].([]any) {
		if a.(map[string]any)["id"] == id {
			return a.(map[string]any)["status"]
		}
	}
	return nil
}

func mustRead(t testing.TB, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(raw)
}
