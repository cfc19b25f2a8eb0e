package domain_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

var eabHash = strings.Repeat("ab", 32)

func mintedEAB(t *testing.T) *domain.ACMEEABKey {
	t.Helper()
	evs, err := (&domain.ACMEEABKey{}).Mint(domain.ACMEEABKeyInput{KeyID: "k1", Provisioner: "web", Team: "payments",
		KeySHA256: eabHash}, secOps, t0)
	require.NoError(t, err)
	k, err := domain.NewACMEEABKeyFromHistory(evs)
	require.NoError(t, err)
	return k
}

func TestOnlySecOpsMintsAnEABKeyAndItBindsOneAccountOnce(t *testing.T) {
	_, err := (&domain.ACMEEABKey{}).Mint(domain.ACMEEABKeyInput{KeyID: "k1", Provisioner: "web", Team: "payments",
		KeySHA256: eabHash}, devOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "%v", err)
	_, err = (&domain.ACMEEABKey{}).Mint(domain.ACMEEABKeyInput{KeyID: "k1", Provisioner: "web", KeySHA256: eabHash}, secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "a key needs a team: %v", err)

	k := mintedEAB(t)
	_, err = k.Bind("acct-1", "other", eabHash, t0)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "another provisioner: %v", err)
	_, err = k.Bind("acct-1", "web", strings.Repeat("cd", 32), t0)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "another HMAC key: %v", err)
	evs, err := k.Bind("acct-1", "web", eabHash, t0)
	require.NoError(t, err)
	require.NoError(t, k.Apply(evs[0]))
	assert.Equal(t, "acct-1", k.BoundTo())
	again, err := k.Bind("acct-1", "web", eabHash, t0)
	require.NoError(t, err)
	assert.Empty(t, again, "binding the same account again decides nothing")
	_, err = k.Bind("acct-2", "web", eabHash, t0)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "a second account: %v", err)
}

func registeredAccount(t *testing.T) *domain.ACMEAccount {
	t.Helper()
	evs, err := (&domain.ACMEAccount{}).Register(domain.ACMEAccountInput{AccountID: "acct-1", Provisioner: "web",
		Team: "payments", Thumbprint: "tp1", KeyJWK: []byte(`{}`), EABKeyID: "k1"}, devOps, t0)
	require.NoError(t, err)
	a, err := domain.NewACMEAccountFromHistory(evs)
	require.NoError(t, err)
	return a
}

func TestAnACMEAccountRollsItsKeyOverAndIsDeactivatedForGood(t *testing.T) {
	a := registeredAccount(t)
	assert.Equal(t, "k1", a.EABKeyID())
	_, err := a.ChangeKey("tp1", []byte(`{}`), t0)
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "the same key is no rollover: %v", err)
	evs, err := a.ChangeKey("tp2", []byte(`{"k":2}`), t0)
	require.NoError(t, err)
	require.NoError(t, a.Apply(evs[0]))
	assert.Equal(t, "tp2", a.Thumbprint())

	evs, err = a.Deactivate(t0)
	require.NoError(t, err)
	require.NoError(t, a.Apply(evs[0]))
	assert.Equal(t, "deactivated", a.Status())
	assert.False(t, a.Active())
	_, err = a.Deactivate(t0)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "%v", err)
	_, err = a.ChangeKey("tp3", []byte(`{}`), t0)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "a deactivated account changes no key: %v", err)
}

func TestAnAdoptedKeyStreamNamesItsAccountAndTakesNoRegistration(t *testing.T) {
	evs, err := (&domain.ACMEAccount{}).AdoptKey("stream-2", "acct-1", "tp2", t0)
	require.NoError(t, err)
	alias, err := domain.NewACMEAccountFromHistory(evs)
	require.NoError(t, err)
	assert.Equal(t, "acct-1", alias.AliasOf())
	assert.False(t, alias.Exists())
	_, err = alias.Register(domain.ACMEAccountInput{AccountID: "stream-2", Thumbprint: "tp2", KeyJWK: []byte(`{}`), Team: "payments"}, devOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "%v", err)
	_, err = alias.AdoptKey("stream-2", "acct-9", "tp2", t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "another account: %v", err)
	_, err = registeredAccount(t).AdoptKey("acct-1", "acct-9", "tp1", t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "a registered account's own stream: %v", err)
}

func TestTheRenewalWindowIsFromTwoThirdsToFiveSixthsOfTheLifetime(t *testing.T) {
	start, end := domain.RenewalWindow(t0, t0.Add(90*24*time.Hour))
	assert.Equal(t, t0.Add(60*24*time.Hour), start)
	assert.Equal(t, t0.Add(75*24*time.Hour), end)
}
