package main

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/acme"
	"github.com/certledger/certledger/tests/clienttest"
)

func TestACMEEABKeyIsMintedBySecOpsForAProvisioner(t *testing.T) {
	ring, err := acme.NewEABKeyring(make([]byte, acme.MinEABSecret))
	require.NoError(t, err)
	l := clienttest.StartWith(t, clienttest.Options{ACME: &clienttest.ACMEOptions{
		Provisioners: []acme.Provisioner{{Name: "web", CAID: uuid.NewString(), Profile: "web", ExternalAccountRequired: true}},
		EAB:          ring}})
	key := jsonOf(t, l, clienttest.AdminToken, "acme", "eab-key", "--provisioner", "web", "--team", "payments")
	assert.NotEmpty(t, key["hmac_key"])
	assert.Equal(t, "payments", key["team"])
	assert.NoError(t, uuid.Validate(key["key_id"].(string)))

	code, _, errOut := ctl(t, l, clienttest.DevOpsToken, "acme", "eab-key", "--provisioner", "web", "--team", "web")
	assert.NotEqual(t, exitOK, code, "DEVOPS mints no EAB key")
	assert.Contains(t, errOut, "403")
	code, _, errOut = ctl(t, l, clienttest.AdminToken, "acme", "eab-key", "--provisioner", "nope", "--team", "web")
	assert.NotEqual(t, exitOK, code)
	assert.Contains(t, errOut, "404")
	code, _, _ = ctl(t, l, clienttest.AdminToken, "acme", "eab-key", "--provisioner", "web")
	assert.NotEqual(t, exitOK, code, "a team is required")
}
