package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/tests/clienttest"
)

const paymentsDevOps = "sign-test-payments-devops-0123456789"

// TestSignPendingListsWhatWaitsForApproval has approvers find the requests waiting for them
// with sign pending: every team's for SEC_OPS, one key's with --key, a DEVOPS its own
// team's requests alone; an approval shows in the list and the request leaves it once signed or
// refused. A requester waiting with --wait gets its .p7s when the last approval is in.
func TestSignPendingListsWhatWaitsForApproval(t *testing.T) {
	l, caID := newSigningLedger(t, clienttest.Options{Tokens: map[string]domain.Actor{
		secOpsToken1:   {Subject: "sec1", Roles: []domain.Role{domain.RoleSecOps}},
		secOpsToken2:   {Subject: "sec2", Roles: []domain.Role{domain.RoleSecOps}},
		paymentsDevOps: {Subject: "pay", Roles: []domain.Role{domain.RoleDevOps}, Team: "payments"},
	}}, "Pending Root")
	admin, dev := clienttest.AdminToken, clienttest.DevOpsToken
	newKey := func(team string) string {
		return jsonOf(t, l, admin, "signing-key", "create", "--name", team+"-release", "--team", team, "--ca", caID,
			"--cn", team+" release", "--approvals", "2")["id"].(string)
	}
	web, payments := newKey("web"), newKey("payments")
	dir := t.TempDir()
	file := filepath.Join(dir, "app.bin")
	require.NoError(t, os.WriteFile(file, []byte("an artifact"), 0o600))
	request := func(token, key string) string {
		return jsonOf(t, l, token, "sign", "file", key, file)["id"].(string)
	}
	first, second, theirs := request(dev, web), request(dev, web), request(paymentsDevOps, payments)

	pending := func(token string, args ...string) []string {
		list := jsonOf(t, l, token, append([]string{"sign", "pending"}, args...)...)
		var ids []string
		for _, item := range list["items"].([]any) {
			ids = append(ids, item.(map[string]any)["id"].(string))
		}
		return ids
	}
	eventually := func(want []string, token string, args ...string) {
		t.Helper()
		var got []string
		require.Eventually(t, func() bool { got = pending(token, args...); return assert.ObjectsAreEqual(want, got) },
			10*time.Second, 50*time.Millisecond, "sign pending %v: want %v, got %v", args, want, got)
	}
	eventually([]string{first, second, theirs}, secOpsToken1)
	eventually([]string{first, second}, secOpsToken1, "--key", web)
	eventually([]string{first, second}, dev)
	assert.Empty(t, pending(dev, "--key", payments), "another team's requests are not shown")

	code, out, errOut := ctl(t, l, secOpsToken1, "sign", "approve", web, first)
	require.Equal(t, exitOK, code, errOut)
	require.Eventually(t, func() bool {
		code, out, _ = ctl(t, l, secOpsToken2, "sign", "pending", "--key", web)
		return code == exitOK && regexp.MustCompile(`(?m)^\S+\s+`+first+`\s.*\s1 of 2: sec1\s`).MatchString(out)
	}, 10*time.Second, 50*time.Millisecond, "the table shows the approval: %s", out)

	// The requester waits; the second approval signs and its ledgerctl writes the .p7s.
	p7s := filepath.Join(dir, "app.bin.p7s")
	code, _, errOut = ctl(t, l, dev, "sign", "show", web, first, "--out", p7s)
	require.Equal(t, exitOK, code, errOut)
	_, err := os.Stat(p7s)
	assert.True(t, os.IsNotExist(err), "no .p7s while pending")
	done := make(chan string, 1)
	go func() {
		_, out, errOut := ctl(t, l, dev, "sign", "file", web, file, "--wait", "30s", "--out", p7s, "--idempotency-key", "wait-1")
		done <- out + errOut
	}()
	var waiting string
	require.Eventually(t, func() bool {
		ids := pending(secOpsToken2, "--key", web)
		if len(ids) == 3 {
			waiting = ids[2]
		}
		return waiting != ""
	}, 10*time.Second, 50*time.Millisecond, "the waiting client's request shows")
	for _, token := range []string{secOpsToken1, secOpsToken2} {
		code, _, errOut = ctl(t, l, token, "sign", "approve", web, waiting)
		require.Equal(t, exitOK, code, errOut)
	}
	select {
	case out := <-done:
		assert.Regexp(t, `(?m)^Status:\s+signed$`, out)
		assert.Contains(t, out, "wrote "+p7s)
	case <-time.After(30 * time.Second):
		t.Fatal("the waiting sign file never returned")
	}
	_, err = os.Stat(p7s)
	require.NoError(t, err, "the waiting client wrote the signature")

	code, _, errOut = ctl(t, l, secOpsToken2, "sign", "approve", web, first)
	require.Equal(t, exitOK, code, errOut)
	code, _, errOut = ctl(t, l, secOpsToken1, "sign", "refuse", web, second, "--reason", "not this build")
	require.Equal(t, exitOK, code, errOut)
	eventually([]string{theirs}, secOpsToken1)
	eventually(nil, dev)
	require.NoError(t, l.Runner.Rebuild(t.Context(), "signing", nil))
	assert.Equal(t, []string{theirs}, pending(secOpsToken1), "the rebuilt read model lists what the live one did")

	code, _, errOut = ctl(t, l, secOpsToken1, "sign", "pending", "--key", "not-a-uuid")
	assert.Equal(t, exitRefused, code, "a malformed key id is a 400: %s", errOut)
}
