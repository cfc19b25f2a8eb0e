package e2e_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/api"
	"github.com/certledger/certledger/tests/testutil"
)

// clusterProc is one process of a cluster under test: the store, or a node.
type clusterProc struct {
	name string
	args []string
	env  []string
	cmd  *exec.Cmd
	logs *testutil.SyncBuffer
	done chan struct{}
}

// start starts (or starts again) the process with its arguments and environment.
func (p *clusterProc) start(t testing.TB) {
	t.Helper()
	p.cmd = exec.Command(testutil.Build(t, "github.com/certledger/certledger/cmd/ledgerd", false), p.args...)
	p.cmd.Env = append(os.Environ(), p.env...)
	if p.logs == nil {
		p.logs = &testutil.SyncBuffer{}
	}
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	require.NoError(t, p.cmd.Start(), p.name)
	p.done = make(chan struct{})
	cmd, done := p.cmd, p.done
	go func() { _ = cmd.Wait(); close(done) }()
}

// kill SIGKILLs the process and waits for it to be gone.
func (p *clusterProc) kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// stop sends SIGINT and waits, SIGKILLing after 15 s.
func (p *clusterProc) stop() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		p.kill()
	}
}

// cluster is one `ledgerd store` and ledgerd nodes sharing it, one Postgres database and one
// SoftHSM token directory.
type cluster struct {
	store   *clusterProc
	nodes   []*clusterProc
	bases   []string // http://host:port of each node
	ledger  *ledgerd // node 0 as the single-node helpers see it (token, store and database URLs)
	hsmConf string
}

// startCluster starts the store and n nodes with env added to each node's environment, and
// waits until every node is ready.
func startCluster(t testing.TB, n int, dbURL string, env ...string) *cluster {
	t.Helper()
	storeAddr := testutil.FreeAddr(t)
	c := &cluster{store: &clusterProc{name: "store", args: []string{"store"},
		env: []string{"LEDGER_EVENTSTORE_ADDR=" + storeAddr, "LEDGER_DATA_DIR=" + t.TempDir()}}}
	c.store.start(t)
	t.Cleanup(func() {
		c.store.stop()
		if t.Failed() {
			t.Logf("store output:\n%s", c.store.logs)
		}
	})
	require.Eventually(t, func() bool {
		conn, err := net.Dial("tcp", storeAddr)
		if err == nil {
			conn.Close()
		}
		return err == nil
	}, 30*time.Second, 50*time.Millisecond, "the store never listened:\n%s", c.store.logs)

	// One SoftHSM token for every node, as a network HSM would be: provisioned here, opened by
	// each node through SOFTHSM2_CONF.
	// Not t.TempDir: a benchmark's has '=' in its name, which SoftHSM's config parser splits at.
	hsmDir, err := os.MkdirTemp("", "cluster-hsm-")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(hsmDir) })
	hcfg, err := hsm.ProvisionSoftHSM(hsmDir, "certledger", "node-pin-1234", "so-pin-5678")
	require.NoError(t, err)
	c.hsmConf = filepath.Join(hsmDir, "softhsm2.conf")
	token := "cluster-admin-token-0123456789abcdef0123456789"
	c.ledger = &ledgerd{token: token, storeURL: "esdb://" + storeAddr + "?tls=false", dbURL: dbURL}
	for i := range n {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "admin.token"), []byte(token+"\n"), 0o600))
		addr := testutil.FreeAddr(t)
		p := &clusterProc{name: fmt.Sprintf("node-%d", i), env: append([]string{
			"LEDGER_HTTP_ADDR=" + addr, "LEDGER_DATA_DIR=" + dir, "LEDGER_EVENTSTORE_URL=" + c.ledger.storeURL,
			"DATABASE_URL=" + dbURL, fmt.Sprintf("LEDGER_NODE_ID=node-%d", i), "LEDGER_LOG_LEVEL=warn",
			"LEDGER_HSM_MODULE=" + hcfg.ModulePath, "LEDGER_HSM_PIN=node-pin-1234", "SOFTHSM2_CONF=" + c.hsmConf,
			"LEDGER_RATE_WRITE=100000", "LEDGER_RATE_READ=100000",
		}, env...)}
		p.start(t)
		c.nodes, c.bases = append(c.nodes, p), append(c.bases, "http://"+addr)
		t.Cleanup(func() {
			p.stop()
			if t.Failed() {
				t.Logf("%s output:\n%s", p.name, p.logs)
			}
		})
	}
	c.ledger.base, c.ledger.dir = c.bases[0], t.TempDir()
	for i := range c.nodes {
		c.waitReady(t, i)
	}
	return c
}

// waitReady waits until node i answers /readyz with 200.
func (c *cluster) waitReady(t testing.TB, i int) {
	t.Helper()
	require.Eventually(t, func() bool { _, ok := c.readiness(i); return ok }, 60*time.Second, 100*time.Millisecond,
		"%s never became ready:\n%s", c.nodes[i].name, c.nodes[i].logs)
}

// readiness returns node i's /readyz body and whether it is ready.
func (c *cluster) readiness(i int) (api.Readiness, bool) {
	var r api.Readiness
	resp, err := http.Get(c.bases[i] + "/readyz")
	if err != nil {
		return r, false
	}
	defer resp.Body.Close()
	return r, json.NewDecoder(resp.Body).Decode(&r) == nil && resp.StatusCode == http.StatusOK
}

// postKeyed sends a JSON command to node i with the admin token and an Idempotency-Key (none
// when key is empty); it returns the status and body.
func (c *cluster) postKeyed(client *http.Client, i int, path string, body any, key string) (int, map[string]any, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequest(http.MethodPost, c.bases[i]+path, bytes.NewReader(raw))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.ledger.token)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m, nil
}
