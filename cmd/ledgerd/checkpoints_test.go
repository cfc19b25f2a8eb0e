package main_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/client"
)

// auditedLedgerd runs ledgerd with the given checkpoint settings and returns a client of it as
// its bootstrap admin.
func auditedLedgerd(t *testing.T, interval, every string) *client.Client {
	t.Helper()
	dataDir := t.TempDir()
	l := startLedgerd(t, "LEDGER_DATA_DIR="+dataDir, "LEDGER_AUDIT_CHECKPOINT_INTERVAL="+interval,
		"LEDGER_AUDIT_CHECKPOINT_EVERY="+every)
	waitReadyz(t, l, http.StatusOK)
	token, err := os.ReadFile(filepath.Join(dataDir, "admin.token"))
	require.NoError(t, err)
	return client.New(l.base, strings.TrimSpace(string(token)))
}

// mint appends n events: n API tokens.
func mint(t *testing.T, c *client.Client, n int) {
	t.Helper()
	for range n {
		_, err := c.IssueToken(context.Background(), client.NewToken{Role: "VIEWER", TTL: "24h"})
		require.NoError(t, err)
	}
}

// checkpointOf waits until the latest checkpoint has the given number of checkpoints before it
// (its revision) and returns it.
func checkpointOf(t *testing.T, c *client.Client, revision uint64) client.Checkpoint {
	t.Helper()
	var cp client.Checkpoint
	require.EventuallyWithT(t, func(co *assert.CollectT) {
		var err error
		cp, err = c.LatestCheckpoint(context.Background())
		require.NoError(co, err)
		assert.Equal(co, revision, cp.Revision)
	}, 30*time.Second, 50*time.Millisecond, "checkpoint revision %d", revision)
	return cp
}

// stays checks that no new checkpoint comes for a while.
func stays(t *testing.T, c *client.Client, revision uint64, d time.Duration) {
	t.Helper()
	time.Sleep(d)
	cp, err := c.LatestCheckpoint(context.Background())
	require.NoError(t, err)
	assert.Equal(t, revision, cp.Revision, "no checkpoint while the rule does not call for one")
}

func TestLedgerdSignsACheckpointWhenTheTreeGrewByEvery(t *testing.T) {
	c := auditedLedgerd(t, "1h", "3")
	mint(t, c, 1)
	first := checkpointOf(t, c, 0) // the first checkpoint comes as soon as there is a leaf
	mint(t, c, 2)
	stays(t, c, 0, 2500*time.Millisecond)
	mint(t, c, 1)
	second := checkpointOf(t, c, 1)
	assert.Equal(t, first.TreeSize+3, second.TreeSize)
}

func TestLedgerdSignsACheckpointEveryIntervalWhileTheTreeGrows(t *testing.T) {
	c := auditedLedgerd(t, "1s", "1000000")
	mint(t, c, 1)
	first := checkpointOf(t, c, 0)
	mint(t, c, 1)
	second := checkpointOf(t, c, 1)
	assert.Equal(t, first.TreeSize+1, second.TreeSize)
	assert.GreaterOrEqual(t, second.SignedAt.Sub(first.SignedAt), time.Second)
	stays(t, c, 1, 2500*time.Millisecond) // never while the tree has not grown
}
