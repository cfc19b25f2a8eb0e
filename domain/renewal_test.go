package domain_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

func TestRenewalPolicyDueAt(t *testing.T) {
	nb := t0
	na := t0.Add(90 * 24 * time.Hour)
	cases := []struct {
		name   string
		policy domain.RenewalPolicy
		want   time.Time
	}{
		{"default two thirds", domain.RenewalPolicy{}, t0.Add(60 * 24 * time.Hour)},
		{"a half", domain.RenewalPolicy{LifetimeFraction: 0.5}, t0.Add(45 * 24 * time.Hour)},
		{"days before come first", domain.RenewalPolicy{DaysBefore: 40}, t0.Add(50 * 24 * time.Hour)},
		{"the fraction comes first", domain.RenewalPolicy{DaysBefore: 10}, t0.Add(60 * 24 * time.Hour)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { assert.Equal(t, c.want, c.policy.DueAt(nb, na)) })
	}
}

func TestRenewalPolicyIsValidatedAndDefaulted(t *testing.T) {
	spec := webSpec("", false)
	spec.Renewal = &domain.RenewalPolicy{LifetimeFraction: 1.5, DaysBefore: -1, Mode: "teleport"}
	_, err := domain.NewProfile(spec)
	require.Error(t, err)
	var rules []string
	for _, v := range domain.ViolationsOf(err) {
		rules = append(rules, v.Field)
	}
	assert.ElementsMatch(t, []string{"renewal.lifetime_fraction", "renewal.days_before", "renewal.mode"}, rules)

	// A profile event written before renewal policies existed decodes with the defaults.
	var old domain.ProfileDefined
	require.NoError(t, json.Unmarshal([]byte(`{"profile_id":"6f1d2c3e-8a8b-4d7e-9f10-3c2b1a0e9d8c","spec":{"name":"web",
		"allowed_domains":["example.com"],"key_types":["ecdsa-p256"],"max_validity_days":90,"key_usages":["digitalSignature"],
		"ext_key_usages":["serverAuth"]},"defined_at":"2026-11-24T12:00:00Z"}`), &old))
	p, err := domain.NewProfileFromHistory([]domain.Event{old})
	require.NoError(t, err)
	assert.Equal(t, domain.RenewalPolicy{LifetimeFraction: domain.DefaultRenewalFraction, Mode: domain.RenewalNotify}, p.Renewal())
	assert.False(t, p.Renewal().Automatic())
}

// TestRenewalIsDueOnceAndFailuresCount records the renewal due of an issued certificate once,
// then its failed attempts once each, with a growing backoff.
func TestRenewalIsDueOnceAndFailuresCount(t *testing.T) {
	f := newFixture(t, webSpec("", true))
	c, err := domain.NewCertificateFromHistory(f.historyIn(t, domain.StatusIssued))
	require.NoError(t, err)
	policy := domain.RenewalPolicy{LifetimeFraction: 0.5, Mode: domain.RenewalReuseCSR}
	due := policy.DueAt(c.NotBefore(), c.NotAfter())
	decide := func(evs []domain.Event, err error) []domain.Event {
		t.Helper()
		require.NoError(t, err)
		for _, e := range evs {
			require.NoError(t, c.Apply(e))
		}
		return evs
	}
	_, err = c.FailRenewal(1, "no", due)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "no failure before a renewal is due: %v", err)
	assert.Empty(t, decide(c.DueRenewal(policy, due.Add(-time.Second))), "not due yet")
	got := decide(c.DueRenewal(policy, due.Add(time.Minute)))
	require.Len(t, got, 1)
	assert.Equal(t, domain.RenewalDue{CertificateID: c.ID(), Mode: domain.RenewalReuseCSR, DueAt: due,
		NotAfter: c.NotAfter().UTC(), RecordedAt: due.Add(time.Minute)}, got[0])
	assert.Empty(t, decide(c.DueRenewal(policy, due.Add(time.Hour))), "due once")
	assert.Equal(t, domain.StatusIssued, c.Status())

	first := decide(c.FailRenewal(1, "the CA is revoked", due))
	require.Len(t, first, 1)
	assert.Equal(t, due.Add(time.Minute), first[0].(domain.RenewalFailed).NextAttemptAt)
	assert.Empty(t, decide(c.FailRenewal(1, "again", due)), "an attempt is recorded once")
	_, err = c.FailRenewal(3, "gap", due)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "attempts have no gaps: %v", err)
	second := decide(c.FailRenewal(2, "still", due))
	assert.Equal(t, due.Add(2*time.Minute), second[0].(domain.RenewalFailed).NextAttemptAt)
	assert.Equal(t, 2, c.RenewalFailures())
	assert.Equal(t, 6*time.Hour, domain.RenewalBackoff(40))
}

func TestAdoptADiscoveredCertificate(t *testing.T) {
	der := []byte("not parsed by the aggregate")
	fp := domain.Fingerprint(der)
	found := domain.CertificateDiscovered{DiscoveredID: domain.DiscoveredIDOf(fp).String(), Fingerprint: fp,
		CertificateDER: der, Scope: "net", DiscoveredAt: t0}
	profile := defineProfile(t, webSpec("web", false))
	secops := domain.Actor{Subject: "alice", Roles: []domain.Role{domain.RoleSecOps}}
	devops := domain.Actor{Subject: "bob", Roles: []domain.Role{domain.RoleDevOps}, Team: "web"}

	none, err := domain.NewDiscoveredCertificateFromHistory(nil)
	require.NoError(t, err)
	_, err = none.Adopt(domain.AdoptInput{Team: "web", Profile: profile}, secops, t0)
	assert.True(t, domain.IsKind(err, domain.KindNotFound), "%v", err)

	d, err := domain.NewDiscoveredCertificateFromHistory([]domain.Event{found})
	require.NoError(t, err)
	_, err = d.Adopt(domain.AdoptInput{Team: "web", Profile: profile}, devops, t0)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "only SEC_OPS adopts: %v", err)
	_, err = d.Adopt(domain.AdoptInput{Team: "db", Profile: profile}, secops, t0)
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "a team profile adopts for its team: %v", err)
	evs, err := d.Adopt(domain.AdoptInput{Team: "web", Owner: "ops@example.com", Profile: profile}, secops, t0)
	require.NoError(t, err)
	require.Len(t, evs, 1)
	adopted := evs[0].(domain.CertificateAdopted)
	assert.Equal(t, "web", adopted.Team)
	assert.Equal(t, profile.Name(), adopted.ProfileName)
	assert.Equal(t, found.DiscoveredID, adopted.Aggregate().ID)

	again, err := domain.NewDiscoveredCertificateFromHistory([]domain.Event{found, adopted})
	require.NoError(t, err)
	_, err = again.Adopt(domain.AdoptInput{Team: "web", Profile: profile}, secops, t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "adopted once: %v", err)
}
