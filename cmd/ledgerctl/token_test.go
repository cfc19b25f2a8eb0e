package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/clienttest"
)

func TestMintUseListAndRevokeATokenWithTheCLI(t *testing.T) {
	l := clienttest.Start(t)
	admin := clienttest.AdminToken
	code, out, errOut := ctl(t, l, admin, "token", "create", "--role", "DEVOPS", "--team", "web", "--ttl", "30d",
		"--description", "CI of web")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, errOut, "cannot show it again")
	secret, id := fieldOf(t, out, "Token"), fieldOf(t, out, "ID")
	assert.True(t, strings.HasPrefix(secret, "clt_"), out)
	assert.Regexp(t, `(?m)^Status:\s+active$`, out)

	code, out, errOut = ctl(t, l, secret, "whoami")
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^Roles:\s+DEVOPS$`, out)
	code, out, errOut = ctl(t, l, admin, "token", "show", id)
	require.Equal(t, exitOK, code, errOut)
	assert.NotContains(t, out, secret, "the secret is shown once")
	assert.Regexp(t, `(?m)^Description:\s+CI of web$`, out)

	require.Eventually(t, func() bool {
		_, out, _ = ctl(t, l, admin, "token", "list")
		return strings.Contains(out, id)
	}, 10*time.Second, 50*time.Millisecond)
	assert.Regexp(t, `^ID\s+ROLE\s+TEAM\s+STATUS\s+EXPIRES\s+ISSUED BY\s+DESCRIPTION\n`, out)
	assert.Regexp(t, id+`\s+DEVOPS\s+web\s+active\s+\S+\s+admin\s+CI of web`, out)

	code, _, errOut = ctl(t, l, admin, "token", "revoke", id, "--reason", "rotated", "--if-match", "7")
	assert.Equal(t, exitRefused, code, errOut)
	assert.Contains(t, errOut, "412 Precondition Failed")
	revoked := jsonOf(t, l, admin, "token", "revoke", id, "--reason", "rotated", "--if-match", "0")
	assert.Equal(t, "revoked", revoked["status"])
	code, _, errOut = ctl(t, l, secret, "whoami")
	assert.Equal(t, exitRefused, code)
	assert.Contains(t, errOut, "401 Unauthorized")
}
