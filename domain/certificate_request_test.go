package domain_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

func TestRequestApprovalRules(t *testing.T) {
	c := newChain(t)
	csr, _ := dnsCSR(t, "www.example.com", "www.example.com")
	profiles := map[string]*domain.Profile{
		"payments, approval":  defineProfile(t, webSpec("payments", true)),
		"shared, approval":    defineProfile(t, webSpec("", true)),
		"shared, no approval": defineProfile(t, webSpec("", false)),
	}
	tests := []struct {
		name     string
		profile  string
		by       domain.Actor
		team     string
		kind     domain.ErrorKind
		approved bool
		override bool
	}{
		{name: "devops in its team's profile is auto-approved", profile: "payments, approval", by: devOps, approved: true},
		{name: "devops of another team may not", profile: "payments, approval", by: devOther, kind: domain.KindForbidden},
		{name: "devops for another team may not", profile: "shared, approval", by: devOps, team: "search", kind: domain.KindForbidden},
		{name: "devops in a shared profile waits", profile: "shared, approval", by: devOps},
		{name: "no approval needed", profile: "shared, no approval", by: devOps, approved: true},
		{name: "sec ops waits for another approver", profile: "payments, approval", by: secOps, team: "payments"},
		{name: "viewer may not", profile: "shared, no approval", by: viewer, kind: domain.KindForbidden},
		{name: "admin by override", profile: "payments, approval", by: admin, team: "payments", override: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := fixture{chain: c, profile: profiles[tc.profile], csr: csr}
			in := f.input()
			in.Team = tc.team
			evs, err := (&domain.Certificate{}).Request(in, tc.by, t0)
			require.Equal(t, tc.kind, domain.KindOf(err), "%v", err)
			if err != nil {
				return
			}
			req := evs[0].(domain.CertificateRequested)
			assert.Equal(t, tc.override, req.Override)
			assert.Equal(t, tc.by.Subject, req.RequestedBy)
			if !tc.approved {
				assert.Len(t, evs, 1)
				return
			}
			require.Len(t, evs, 2)
			assert.True(t, evs[1].(domain.CertificateApproved).Auto)
		})
	}
}

func TestRequestPolicyViolationsAndOverride(t *testing.T) {
	f := newFixture(t, webSpec("", false))
	f.csr, _ = dnsCSR(t, "www.evil.net", "www.evil.net", "*.example.com")
	in := f.input()
	in.ValidityDays = 365

	_, err := (&domain.Certificate{}).Request(in, secOps, t0)
	require.True(t, domain.IsKind(err, domain.KindPolicy), "%v", err)
	want := []string{"dns_names/domain_not_allowed", "dns_names/wildcard_not_allowed", "validity_days/validity_too_long"}
	assert.ElementsMatch(t, want, kinds(domain.ViolationsOf(err)))

	in.Override = true
	_, err = (&domain.Certificate{}).Request(in, secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "only ADMIN overrides: %v", err)

	evs, err := (&domain.Certificate{}).Request(in, admin, t0)
	require.NoError(t, err)
	req := evs[0].(domain.CertificateRequested)
	assert.True(t, req.Override)
	assert.ElementsMatch(t, want, kinds(req.OverriddenViolations))
}

func TestRequestInputErrors(t *testing.T) {
	f := newFixture(t, webSpec("", true))
	gone, _, goneHistory := newRoot(t, caSpec("Gone", 1, 365))
	revokeEvs, err := gone.Revoke(domain.ReasonCessationOfOperation, nil, secOps, t0)
	require.NoError(t, err)
	revoked, err := domain.NewCAFromHistory(append(goneHistory, revokeEvs...))
	require.NoError(t, err)
	pending, err := domain.NewCertificateFromHistory(f.historyIn(t, domain.StatusPendingApproval))
	require.NoError(t, err)
	tests := []struct {
		name   string
		change func(*domain.RequestInput)
		kind   domain.ErrorKind
	}{
		{"no profile", func(in *domain.RequestInput) { in.Profile = &domain.Profile{} }, domain.KindNotFound},
		{"no CA", func(in *domain.RequestInput) { in.CA = nil }, domain.KindNotFound},
		{"revoked CA", func(in *domain.RequestInput) { in.CA = revoked }, domain.KindConflict},
		{"bad id", func(in *domain.RequestInput) { in.CertificateID = "x" }, domain.KindInvalid},
		{"no CSR", func(in *domain.RequestInput) { in.CSR = nil }, domain.KindInvalid},
		{"no validity", func(in *domain.RequestInput) { in.ValidityDays = 0 }, domain.KindInvalid},
		{"renews a pending request", func(in *domain.RequestInput) { in.Renews = pending }, domain.KindConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := f.input()
			tc.change(&in)
			_, err := (&domain.Certificate{}).Request(in, secOps, t0)
			assert.Equal(t, tc.kind, domain.KindOf(err), "%v", err)
		})
	}
	t.Run("renewal links the old certificate", func(t *testing.T) {
		old, err := domain.NewCertificateFromHistory(f.historyIn(t, domain.StatusIssued))
		require.NoError(t, err)
		in := f.input()
		in.Renews = old
		evs, err := (&domain.Certificate{}).Request(in, secOps, t0)
		require.NoError(t, err)
		assert.Equal(t, old.ID(), evs[0].(domain.CertificateRequested).Renews)
	})
}

func TestApproveAndRejectRules(t *testing.T) {
	f := newFixture(t, webSpec("payments", true))
	pending := f.historyIn(t, domain.StatusPendingApproval) // requested by secOps "sam"
	tests := []struct {
		name     string
		decide   func(*domain.Certificate) ([]domain.Event, error)
		kind     domain.ErrorKind
		override bool
	}{
		{"another sec ops approves", func(c *domain.Certificate) ([]domain.Event, error) { return c.Approve(secOps2, t0, "") }, "", false},
		{"the requester may not approve", func(c *domain.Certificate) ([]domain.Event, error) { return c.Approve(secOps, t0, "") }, domain.KindForbidden, false},
		{"devops may not approve by hand", func(c *domain.Certificate) ([]domain.Event, error) { return c.Approve(devOps, t0, "") }, domain.KindForbidden, false},
		{"viewer may not approve", func(c *domain.Certificate) ([]domain.Event, error) { return c.Approve(viewer, t0, "") }, domain.KindForbidden, false},
		{"admin approves by override", func(c *domain.Certificate) ([]domain.Event, error) { return c.Approve(admin, t0, "") }, "", true},
		{"sec ops rejects", func(c *domain.Certificate) ([]domain.Event, error) { return c.Reject(secOps, t0, "no") }, "", false},
		{"a rejection needs a reason", func(c *domain.Certificate) ([]domain.Event, error) { return c.Reject(secOps, t0, "") }, domain.KindInvalid, false},
		{"devops may not reject", func(c *domain.Certificate) ([]domain.Event, error) { return c.Reject(devOps, t0, "no") }, domain.KindForbidden, false},
		{"admin rejects by override", func(c *domain.Certificate) ([]domain.Event, error) { return c.Reject(admin, t0, "no") }, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := domain.NewCertificateFromHistory(pending)
			require.NoError(t, err)
			evs, err := tc.decide(c)
			require.Equal(t, tc.kind, domain.KindOf(err), "%v", err)
			if err != nil {
				return
			}
			switch e := evs[0].(type) {
			case domain.CertificateApproved:
				assert.Equal(t, tc.override, e.Override)
				assert.False(t, e.Auto)
			case domain.CertificateRejected:
				assert.Equal(t, tc.override, e.Override)
				require.NoError(t, c.Apply(e))
				assert.Equal(t, "no", c.RejectionReason())
			}
		})
	}
}
