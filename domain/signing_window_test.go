package domain_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

// TestSigningWindowsBoundWhenAKeySigns: a key whose policy has windows takes requests and
// approvals only within them (UTC, the end exclusive, across midnight, by day), refuses
// anything else with a policy error naming its windows, and a policy with a malformed window
// is refused when the key is created.
func TestSigningWindowsBoundWhenAKeySigns(t *testing.T) {
	spec := keySpec(1)
	spec.Policy.Windows = []string{"MON-fri  08:00-18:00", "sat,sun 22:00-02:00"}
	chain := newChain(t)
	k := newCodeKey(t, chain, spec)
	assert.Equal(t, []string{"mon-fri 08:00-18:00", "sat,sun 22:00-02:00"}, k.key.Policy().Windows, "kept in canonical form")
	tue := t0.AddDate(0, 0, 7) // a Tuesday, the key's certificate valid since t0
	require.Equal(t, time.Tuesday, tue.Weekday())
	at := func(days int, clock string) time.Time {
		c, err := time.Parse("15:04", clock)
		require.NoError(t, err)
		d := tue.AddDate(0, 0, days)
		return time.Date(d.Year(), d.Month(), d.Day(), c.Hour(), c.Minute(), 0, 0, time.UTC)
	}
	for _, tc := range []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{"tuesday noon", at(0, "12:00"), true},
		{"the start is in", at(0, "08:00"), true},
		{"the end is out", at(0, "18:00"), false},
		{"before the start", at(0, "07:59"), false},
		{"saturday noon", at(4, "12:00"), false},
		{"saturday late", at(4, "23:30"), true},
		{"past midnight into sunday", at(5, "01:59"), true},
		{"past midnight into monday, from sunday", at(6, "01:00"), true},
		{"saturday early, friday had no night window", at(4, "01:00"), false},
		{"monday 02:00", at(6, "02:00"), false},
	} {
		_, err := (&domain.SignatureRequest{}).Request(sha256Input(tc.name), k.key, devOps, tc.at)
		if tc.ok {
			assert.NoError(t, err, tc.name)
			continue
		}
		require.Error(t, err, tc.name)
		assert.True(t, domain.IsKind(err, domain.KindPolicy), "%s: %v", tc.name, err)
		assert.Contains(t, err.Error(), "signs only in mon-fri 08:00-18:00, sat,sun 22:00-02:00 (UTC)", tc.name)
	}

	// An approval outside the windows is refused too: it would sign.
	s := &signatureStream{t: t}
	r := s.apply((&domain.SignatureRequest{}).Request(sha256Input("v2"), k.key, devOps, at(0, "17:00")))
	_, err := r.Approve(k.key, secOps, at(0, "19:00"))
	assert.True(t, domain.IsKind(err, domain.KindPolicy), "%v", err)
	assert.Contains(t, err.Error(), "cannot approve now")
	_, err = r.Approve(k.key, secOps, at(1, "09:00"))
	assert.NoError(t, err, "the next morning")

	for _, bad := range []string{"8:00-18:00", "mon-fri", "mon-fri 08:00", "fri-mon 08:00-08:00", "xyz 08:00-18:00",
		"mon 24:00-02:00", "mon 08:00-18:60", "mon tue 08:00-18:00", "mon 08:00-25:00"} {
		spec := keySpec(0)
		spec.Policy.Windows = []string{bad}
		_, err := (&domain.SigningKey{}).PrepareCreate(spec, chain.inter, k.priv.Public(), big.NewInt(99), secOps, t0)
		assert.True(t, domain.IsKind(err, domain.KindPolicy) || domain.IsKind(err, domain.KindInvalid), "%q is refused: %v", bad, err)
	}
}
