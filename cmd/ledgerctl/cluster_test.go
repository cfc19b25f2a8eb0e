package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/clienttest"
)

// TestClusterStatusListsTheLeasesForAdminsOnly holds a lease on the ledger's node and shows it
// with `ledgerctl cluster status`; a VIEWER is refused.
func TestClusterStatusListsTheLeasesForAdminsOnly(t *testing.T) {
	l := clienttest.Start(t)
	h, err := l.Nodes.TryAcquire(t.Context(), "sweep/expiry")
	require.NoError(t, err)
	defer h.Release()

	code, out, errOut := ctl(t, l, clienttest.AdminToken, "cluster", "status")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^sweep/expiry\s+clienttest\s+1\s+true\s+`, out)

	code, out, _ = ctl(t, l, clienttest.AdminToken, "cluster", "status", "-o", "json")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, `"holder": "clienttest"`)

	code, _, errOut = ctl(t, l, clienttest.ViewerToken, "cluster", "status")
	assert.Equal(t, exitRefused, code)
	assert.Contains(t, errOut, "403")
}
