package domain_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

// fixture is a CA chain, a profile and a CSR to request certificates with.
type fixture struct {
	chain
	profile *domain.Profile
	csr     *domain.CSR
}

func newFixture(t *testing.T, spec domain.ProfileSpec) fixture {
	t.Helper()
	csr, _ := dnsCSR(t, "www.example.com", "www.example.com", "api.example.com")
	return fixture{chain: newChain(t), profile: defineProfile(t, spec), csr: csr}
}

func (f fixture) input() domain.RequestInput {
	return domain.RequestInput{CertificateID: uuid.NewString(), CSR: f.csr, Profile: f.profile, CA: f.inter,
		Owner: "payments-api", ValidityDays: 30}
}

// historyIn returns the history of a certificate brought to status, requested by SEC_OPS in a
// profile that requires approval.
func (f fixture) historyIn(t *testing.T, status domain.CertStatus) []domain.Event {
	t.Helper()
	s := newStream(t)
	c := s.apply((&domain.Certificate{}).Request(f.input(), secOps, t0))
	steps := map[domain.CertStatus][]func(*domain.Certificate) ([]domain.Event, error){
		domain.StatusPendingApproval: {},
		domain.StatusApproved:        {f.approve},
		domain.StatusRejected:        {f.reject},
		domain.StatusIssued:          {f.approve, f.issue(t)},
		domain.StatusSuperseded:      {f.approve, f.issue(t), f.renew},
		domain.StatusRevoked:         {f.approve, f.issue(t), f.revoke},
		domain.StatusExpired:         {f.approve, f.issue(t), f.expire},
	}
	for _, step := range steps[status] {
		c = s.apply(step(c))
	}
	require.Equal(t, status, c.Status())
	return s.snapshot()
}

func (f fixture) approve(c *domain.Certificate) ([]domain.Event, error) {
	return c.Approve(secOps2, t0, "looks fine")
}

func (f fixture) reject(c *domain.Certificate) ([]domain.Event, error) {
	return c.Reject(secOps2, t0, "wrong team")
}

func (f fixture) issue(t *testing.T) func(*domain.Certificate) ([]domain.Event, error) {
	der := f.issueLeaf(t, f.csr, f.profile, t0, 30)
	return func(c *domain.Certificate) ([]domain.Event, error) {
		return announced(t, c, der).Issue(der, f.inter, t0)
	}
}

func (f fixture) renew(c *domain.Certificate) ([]domain.Event, error) {
	return c.Renew(uuid.NewString(), secOps, t0)
}

func (f fixture) revoke(c *domain.Certificate) ([]domain.Event, error) {
	return c.Revoke(domain.ReasonSuperseded, nil, secOps, t0)
}

func (f fixture) expire(c *domain.Certificate) ([]domain.Event, error) {
	return c.Expire(t0.AddDate(1, 0, 0))
}

func TestCertificateLifecycle(t *testing.T) {
	f := newFixture(t, webSpec("payments", true))
	in := f.input()

	s := newStream(t)
	c := s.apply((&domain.Certificate{}).Request(in, secOps, t0))
	assert.Equal(t, domain.StatusPendingApproval, c.Status())
	assert.Equal(t, in.CertificateID, c.ID())
	assert.Equal(t, "payments-api", c.Owner())
	assert.Equal(t, "sam", c.RequestedBy())
	assert.Equal(t, []string{"www.example.com", "api.example.com"}, c.DNSNames())
	assert.Equal(t, "www.example.com", c.CommonName())
	assert.Equal(t, f.inter.ID(), c.CAID())
	assert.Equal(t, f.profile.ID(), c.ProfileID())
	assert.Equal(t, "web-payments", c.ProfileName())
	assert.Empty(t, c.Team(), "SEC_OPS has no team and named none")
	assert.Equal(t, f.csr.PEM(), c.CSRPEM())
	assert.Equal(t, 30, c.ValidityDays())
	assert.Equal(t, 1, c.Version())

	c = s.apply(c.Approve(secOps2, t0, "ok"))
	assert.Equal(t, domain.StatusApproved, c.Status())

	csr, err := c.CSR()
	require.NoError(t, err)
	der := f.issueLeaf(t, csr, f.profile, t0.Add(time.Minute), c.ValidityDays())
	c = s.apply(announced(t, c, der).Issue(der, f.inter, t0.Add(time.Minute)))
	assert.Equal(t, domain.StatusIssued, c.Status())
	assert.Equal(t, der, c.CertificateDER())
	assert.NotEmpty(t, c.Serial())
	assert.Equal(t, t0.Add(time.Minute).AddDate(0, 0, 30), c.NotAfter())
	assert.Equal(t, t0, c.NotBefore(), "backdated by a minute")

	newID := uuid.NewString()
	c = s.apply(c.Renew(newID, secOps, t0))
	assert.Equal(t, domain.StatusSuperseded, c.Status())
	assert.Equal(t, newID, c.SupersededBy())

	c = s.apply(c.Revoke(domain.ReasonSuperseded, nil, secOps, t0))
	assert.Equal(t, domain.StatusRevoked, c.Status())
	rev, ok := c.Revocation()
	require.True(t, ok)
	assert.Equal(t, c.Serial(), rev.Serial)
	assert.Equal(t, f.inter.ID(), rev.CAID)

	_, err = c.Revoke(domain.ReasonKeyCompromise, nil, secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "%v", err)
	assert.Contains(t, err.Error(), "already revoked")
}

// TestRequestAndIssueInOneDecision decides like a command that requests and issues in one
// call: apply the request's events, then issue on the same aggregate.
func TestRequestAndIssueInOneDecision(t *testing.T) {
	f := newFixture(t, webSpec("payments", false))
	c := &domain.Certificate{}
	evs, err := c.Request(f.input(), devOps, t0)
	require.NoError(t, err)
	for _, e := range evs {
		require.NoError(t, c.Apply(e))
	}
	require.Equal(t, domain.StatusApproved, c.Status())
	csr, err := c.CSR()
	require.NoError(t, err)
	der := f.issueLeaf(t, csr, f.profile, t0, c.ValidityDays())
	issued, err := announced(t, c, der).Issue(der, f.inter, t0)
	require.NoError(t, err)

	all := append(evs, issued...)
	assert.Equal(t, []string{"CertificateRequested", "CertificateApproved", "CertificateIssued"}, eventTypes(all))
	folded, err := domain.NewCertificateFromHistory(all)
	require.NoError(t, err)
	assert.Equal(t, domain.StatusIssued, folded.Status())
	assert.Equal(t, "payments", folded.Team())
}

func eventTypes(evs []domain.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.EventType()
	}
	return out
}

func TestCertificateTransitions(t *testing.T) {
	f := newFixture(t, webSpec("payments", true))
	decisions := map[string]func(*domain.Certificate) ([]domain.Event, error){
		"approve": f.approve, "reject": f.reject, "issue": f.issue(t), "renew": f.renew, "revoke": f.revoke, "expire": f.expire,
	}
	allowed := map[domain.CertStatus][]string{
		domain.StatusPendingApproval: {"approve", "reject"},
		domain.StatusApproved:        {"issue"},
		domain.StatusRejected:        nil,
		domain.StatusIssued:          {"renew", "revoke", "expire"},
		domain.StatusSuperseded:      {"revoke", "expire"},
		domain.StatusRevoked:         nil,
		domain.StatusExpired:         nil,
	}
	for status, ok := range allowed {
		history := f.historyIn(t, status)
		for name, decide := range decisions {
			t.Run(string(status)+"/"+name, func(t *testing.T) {
				c, err := domain.NewCertificateFromHistory(history)
				require.NoError(t, err)
				evs, err := decide(c)
				if contains(ok, name) {
					require.NoError(t, err)
					_, err = domain.NewCertificateFromHistory(append(history[:len(history):len(history)], evs...))
					assert.NoError(t, err, "the events apply")
					return
				}
				assert.True(t, domain.IsKind(err, domain.KindConflict), "want a conflict, got %v", err)
			})
		}
	}
	for name, decide := range decisions {
		t.Run("never requested/"+name, func(t *testing.T) {
			_, err := decide(&domain.Certificate{})
			assert.True(t, domain.IsKind(err, domain.KindNotFound), "%v", err)
		})
	}
	t.Run("request twice", func(t *testing.T) {
		c, err := domain.NewCertificateFromHistory(f.historyIn(t, domain.StatusPendingApproval))
		require.NoError(t, err)
		_, err = c.Request(f.input(), secOps, t0)
		assert.True(t, domain.IsKind(err, domain.KindConflict), "%v", err)
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestCertificateApplyRefusesBadHistories(t *testing.T) {
	f := newFixture(t, webSpec("payments", true))
	h := f.historyIn(t, domain.StatusPendingApproval)
	id := h[0].(domain.CertificateRequested).CertificateID
	tests := []struct {
		name    string
		history []domain.Event
	}{
		{"approval first", []domain.Event{domain.CertificateApproved{CertificateID: id}}},
		{"another certificate's event", append(h, domain.CertificateApproved{CertificateID: uuid.NewString()})},
		{"issued before approval", append(h, domain.CertificateIssued{CertificateID: id})},
		{"not a certificate event", append(h, domain.CARevoked{})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := domain.NewCertificateFromHistory(tc.history)
			assert.Error(t, err)
		})
	}
	t.Run("events are values, a pointer is refused", func(t *testing.T) {
		req := h[0].(domain.CertificateRequested)
		_, err := domain.NewCertificateFromHistory([]domain.Event{&req})
		assert.ErrorContains(t, err, "not a certificate event value")
	})
}
