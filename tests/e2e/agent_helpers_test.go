package e2e_test

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/tests/testutil"
)

// fleet is a ledgerd with a TLS listener, an agent CA under a root, the agents' profile and a
// web profile of team payments under an issuing CA.
type fleet struct {
	*ledgerd
	tlsURL, serverCA, agentCA, webCA string
}

func startFleet(t testing.TB, env ...string) *fleet {
	t.Helper()
	dir := t.TempDir()
	serverCertificate(t, dir)
	tlsAddr := testutil.FreeAddr(t)
	l := startLedgerd(t, append([]string{"LEDGER_TLS_ADDR=" + tlsAddr, "LEDGER_TLS_CERT_FILE=" + filepath.Join(dir, "server.pem"),
		"LEDGER_TLS_KEY_FILE=" + filepath.Join(dir, "server.key")}, env...)...)
	f := &fleet{ledgerd: l, tlsURL: "https://" + tlsAddr, serverCA: filepath.Join(dir, "server.pem")}
	root := l.post(t, "/api/v1/cas", map[string]any{"name": "Root", "common_name": "Fleet Root", "key_algorithm": "ecdsa-p256"}, http.StatusCreated)
	f.agentCA = l.post(t, "/api/v1/cas", map[string]any{"name": "Agents", "common_name": "Fleet Agents", "key_algorithm": "ecdsa-p256",
		"parent_id": root["id"]}, http.StatusCreated)["id"].(string)
	f.webCA = l.post(t, "/api/v1/cas", map[string]any{"name": "Web", "common_name": "Fleet Web", "key_algorithm": "ecdsa-p256",
		"parent_id": root["id"]}, http.StatusCreated)["id"].(string)
	l.post(t, "/api/v1/profiles", domain.AgentProfileSpec(), http.StatusCreated)
	l.post(t, "/api/v1/profiles", map[string]any{"name": "web", "team": "payments", "allowed_domains": []string{"example.com"},
		"key_types": []string{"ecdsa-p256"}, "max_validity_days": 90, "key_usages": []string{"digitalSignature"},
		"ext_key_usages": []string{"serverAuth"}}, http.StatusCreated)
	return f
}

// agentProc is an enrolled agent's directory and host configuration, and its running process.
type agentProc struct {
	id, dir, config, root string
	cmd                   *exec.Cmd
	logs                  *testutil.SyncBuffer
}

// agentBinary runs the real ledger-agent and returns its output and exit code.
func agentBinary(t testing.TB, args ...string) (string, int) {
	t.Helper()
	out, err := exec.Command(testutil.Build(t, "github.com/certledger/certledger/cmd/ledger-agent", agentRace), args...).CombinedOutput()
	if exit, ok := err.(*exec.ExitError); ok {
		return string(out), exit.ExitCode()
	}
	require.NoError(t, err)
	return string(out), 0
}

func (f *fleet) joinToken(t testing.TB) map[string]any {
	return f.post(t, "/api/v1/agents/join-tokens", map[string]any{"team": "payments", "ca_id": f.agentCA, "ttl": "10m"}, http.StatusCreated)
}

// enroll mints a join token and enrolls a new agent with the real binary; hooks are its host's.
func (f *fleet) enroll(t testing.TB, hooks map[string][]string) *agentProc {
	t.Helper()
	tok := f.joinToken(t)
	a := &agentProc{id: tok["agent_id"].(string), dir: t.TempDir(), root: t.TempDir()}
	out, code := agentBinary(t, "enroll", "--url", f.tlsURL, "--join-token", tok["token"].(string), "--ca-file", f.serverCA,
		"--dir", a.dir, "--host", "host-"+a.id[:8])
	require.Equalf(t, 0, code, "enroll: %s", out)
	cfg, err := json.Marshal(map[string]any{"url": f.tlsURL, "ca_file": f.serverCA, "dir": a.dir, "allowed_roots": []string{a.root},
		"hooks": hooks, "heartbeat": "1s"})
	require.NoError(t, err)
	a.config = filepath.Join(a.dir, "host.json")
	require.NoError(t, os.WriteFile(a.config, cfg, 0o600))
	return a
}

// start runs `ledger-agent run`; the test's end stops it.
func (a *agentProc) start(t testing.TB) {
	t.Helper()
	a.logs = &testutil.SyncBuffer{}
	a.cmd = exec.Command(testutil.Build(t, "github.com/certledger/certledger/cmd/ledger-agent", agentRace), "run", "--config", a.config)
	a.cmd.Stdout, a.cmd.Stderr = a.logs, a.logs
	require.NoError(t, a.cmd.Start())
	cmd, logs := a.cmd, a.logs
	t.Cleanup(func() {
		stopWithin(cmd, func(sig os.Signal) { _ = cmd.Process.Signal(sig) })
		if strings.Contains(logs.String(), "DATA RACE") {
			t.Errorf("ledger-agent %s has a data race", a.id)
		}
		if t.Failed() {
			t.Logf("ledger-agent %s output:\n%s", a.id, logs.String())
		}
	})
}

// deploy requests a deployment of names to the target and returns its id.
func (f *fleet) deploy(t testing.TB, target map[string]any, names ...string) string {
	t.Helper()
	return f.post(t, "/api/v1/deployments", map[string]any{"ca_id": f.webCA, "profile": "web", "team": "payments",
		"dns_names": names, "target": target}, http.StatusCreated)["id"].(string)
}

// ended waits until the deployment succeeded or failed and returns it.
func (f *fleet) ended(t testing.TB, id string) map[string]any {
	t.Helper()
	var got map[string]any
	require.Eventuallyf(t, func() bool {
		for _, d := range f.get(t, "/api/v1/deployments?limit=500")["items"].([]any) {
			if d := d.(map[string]any); d["id"] == id && (d["status"] == "succeeded" || d["status"] == "failed") {
				got = d
				return true
			}
		}
		return false
	}, 60*time.Second, 100*time.Millisecond, "deployment %s never ended", id)
	return got
}

// postStatus sends a JSON command as admin and returns the status and body, whatever they are.
func (l *ledgerd) postStatus(t testing.TB, path string, body any) (int, string) {
	t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, l.base+path, strings.NewReader(string(raw)))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+l.token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func serverPoolOf(t testing.TB, path string) *x509.CertPool {
	t.Helper()
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM([]byte(mustRead(t, path))))
	return pool
}

// fingerprintOf is the SHA-256 of a DER certificate, lower-case hex.
func fingerprintOf(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// agentRace builds ledger-agent with the race detector when LEDGER_AGENT_RACE is set.
var agentRace = os.Getenv("LEDGER_AGENT_RACE") != ""
