package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/clienttest"
)

func TestRefusedRequestsExitOne(t *testing.T) {
	l := clienttest.Start(t)
	caID := pkiSetup(t, l)
	admin := clienttest.AdminToken
	code, out, errOut := ctl(t, l, admin, "cert", "request", "--ca", caID, "--profile", "web", "--csr", csrFile(t, "www.example.com"), "--team", "web")
	require.Equal(t, exitOK, code, errOut)
	id := fieldOf(t, out, "ID")

	tests := []struct {
		name   string
		token  string
		args   []string
		stderr []string
	}{
		{"policy violations", admin, []string{"cert", "request", "--ca", caID, "--profile", "web", "--csr", csrFile(t, "a.evil.net"),
			"--validity-days", "400"}, []string{"422 Unprocessable Entity", "\n  - dns_names: ", "\n  - validity_days: "}},
		{"unknown certificate", admin, []string{"cert", "show", "7f6b3c1e-0000-4000-8000-000000000000"}, []string{"404 Not Found"}},
		{"stale If-Match", admin, []string{"cert", "revoke", id, "--reason", "superseded", "--if-match", "0"}, []string{"412 Precondition Failed"}},
		{"bad token", "not-a-token", []string{"whoami"}, []string{"401 Unauthorized"}},
		{"no token", "", []string{"ca", "list"}, []string{"401 Unauthorized", "use --token, --token-file or LEDGER_TOKEN"}},
		{"VIEWER creates a CA", clienttest.ViewerToken, []string{"ca", "create", "--name", "X", "--cn", "X", "--key-algorithm", "ecdsa-p256"},
			[]string{"403 Forbidden"}},
		{"rejection without a pending request", admin, []string{"cert", "reject", id, "--reason", "no"}, []string{"409 Conflict"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := ctl(t, l, tc.token, tc.args...)
			assert.Equal(t, exitRefused, code, errOut)
			assert.Empty(t, out)
			assert.True(t, strings.HasPrefix(errOut, "ledgerctl "+tc.args[0]), errOut)
			for _, s := range tc.stderr {
				assert.Contains(t, errOut, s)
			}
		})
	}
}

func TestApprovalAndRenewalWithTheCLI(t *testing.T) {
	l := clienttest.Start(t)
	caID := pkiSetup(t, l)
	admin, dev := clienttest.AdminToken, clienttest.DevOpsToken
	spec := filepath.Join(t.TempDir(), "reviewed.json")
	require.NoError(t, os.WriteFile(spec, []byte(`{"name":"reviewed","allowed_domains":["example.com"],
		"key_types":["ecdsa-p256"],"max_validity_days":90,"requires_approval":true}`), 0o600))
	created := jsonOf(t, l, admin, "profile", "create", "--file", spec)
	assert.EqualValues(t, 0, created["revision"])
	code, _, errOut := ctl(t, l, admin, "profile", "update", "reviewed", "--file", spec, "--if-match", "0")
	require.Equal(t, exitOK, code, errOut)
	code, _, errOut = ctl(t, l, admin, "profile", "update", "reviewed", "--file", spec, "--if-match", "0")
	assert.Equal(t, exitRefused, code, "the profile is at revision 1 now")
	assert.Contains(t, errOut, "412 Precondition Failed")

	stdin = strings.NewReader(string(mustRead(t, csrFile(t, "api.example.com"))))
	pending := jsonOf(t, l, dev, "cert", "request", "--ca", caID, "--profile", "reviewed", "--csr", "-", "--team", "web")
	assert.Equal(t, "pending_approval", pending["status"])
	id := pending["id"].(string)
	code, _, errOut = ctl(t, l, dev, "cert", "approve", id)
	assert.Equal(t, exitRefused, code, "nobody approves their own request: %s", errOut)
	code, out, errOut := ctl(t, l, admin, "cert", "approve", id, "--reason", "ticket 4711")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^Status:\s+issued$`, out)
	code, _, errOut = ctl(t, l, admin, "cert", "issue", id)
	assert.Equal(t, exitRefused, code, "it is issued already: %s", errOut)

	code, out, errOut = ctl(t, l, dev, "cert", "renew", id, "--csr", csrFile(t, "api.example.com"))
	require.Equal(t, exitOK, code, errOut)
	renewal := fieldOf(t, out, "ID")
	assert.NotEqual(t, id, renewal)
	code, _, errOut = ctl(t, l, admin, "cert", "approve", renewal)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "superseded", jsonOf(t, l, dev, "cert", "show", id)["status"])

	require.Eventually(t, func() bool {
		code, out, _ := ctl(t, l, dev, "profile", "show", "reviewed")
		return code == exitOK && strings.Contains(out, "Revision:")
	}, 10*time.Second, 50*time.Millisecond)
	code, out, _ = ctl(t, l, dev, "profile", "show", "reviewed")
	require.Equal(t, exitOK, code)
	assert.Regexp(t, `(?m)^Requires approval:\s+yes$`, out)
	assert.Regexp(t, `(?m)^Revision:\s+1$`, out)
}

func TestConfigurationFromTheEnvironmentAndATokenFile(t *testing.T) {
	l := clienttest.Start(t)
	tokenFile := filepath.Join(t.TempDir(), "admin.token")
	require.NoError(t, os.WriteFile(tokenFile, []byte(clienttest.DevOpsToken+"\n"), 0o600))
	t.Setenv("LEDGER_URL", l.URL)
	code, out, errOut := runCtl(t, "whoami", "--token-file", tokenFile)
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^Subject:\s+dev$`, out)
	assert.Regexp(t, `(?m)^Roles:\s+DEVOPS$`, out)
	assert.Regexp(t, `(?m)^Team:\s+web$`, out)
	t.Setenv("LEDGER_TOKEN", clienttest.ViewerToken)
	code, out, errOut = runCtl(t, "whoami", "-o", "json")
	require.Equal(t, exitOK, code, errOut)
	assert.JSONEq(t, `{"subject":"viewer","roles":["VIEWER"],"team":""}`, out)
	code, out, errOut = runCtl(t, "--token-file", tokenFile, "-o=json", "whoami")
	require.Equal(t, exitOK, code, "common flags may come before the command: %s", errOut)
	assert.JSONEq(t, `{"subject":"dev","roles":["DEVOPS"],"team":"web"}`, out)
}

func TestAnUnreachableServerExitsTwo(t *testing.T) {
	code, out, errOut := runCtl(t, "cert", "list", "--url", "http://127.0.0.1:1", "--token", "x")
	assert.Equal(t, exitFailure, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "ledgerctl cert list: GET http://127.0.0.1:1/api/v1/certificates: ")
}

func TestHelpAtEveryLevel(t *testing.T) {
	code, out, _ := runCtl(t, "--help")
	require.Equal(t, exitOK, code)
	specs := []spec{whoamiSpec}
	for _, g := range groups {
		code, gout, _ := runCtl(t, g.name, "--help")
		assert.Equal(t, exitOK, code, g.name)
		assert.Contains(t, gout, "Usage: ledgerctl "+g.name+" <command>")
		specs = append(specs, g.commands...)
	}
	for _, s := range specs {
		assert.Contains(t, out, "ledgerctl "+s.name, "the usage lists every command")
		code, help, errOut := runCtl(t, append(strings.Fields(s.name), "--help")...)
		assert.Equal(t, exitOK, code, s.name)
		assert.Empty(t, errOut)
		assert.True(t, strings.HasPrefix(help, "Usage: ledgerctl "+s.name), help)
		assert.Contains(t, help, "\nFlags:\n  ")
		assert.Contains(t, help, "--url URL")
		assert.Contains(t, help, "\nExample:\n  ledgerctl "+s.name)
		assert.Contains(t, help, "Exit codes:")
	}
}

func TestAPICommandUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{
		{"cert"},
		{"cert", "burn"},
		{"cert", "request", "--ca", "x"},
		{"cert", "show"},
		{"cert", "show", "a", "b"},
		{"cert", "list", "-o", "yaml"},
		{"cert", "revoke", "x", "--reason", "keyCompromise", "--if-match", "latest"},
		{"cert", "list", "--expires-before", "tomorrow"},
		{"profile", "create", "--file", "spec.json", "--name", "web"},
		{"ca", "create", "--frobnicate"},
	} {
		code, out, errOut := runCtl(t, args...)
		assert.Equal(t, exitFailure, code, args)
		assert.Empty(t, out, args)
		assert.NotEmpty(t, errOut, args)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return data
}
