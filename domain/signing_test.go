package domain_test

import (
	"crypto/rand"
	"crypto/x509"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

// prepareAndSign prepares the issuance of c at at and signs the prepared template with the
// intermediate's key.
func prepareAndSign(t *testing.T, f fixture, c *domain.Certificate, at time.Time) (domain.Prepared, []byte) {
	t.Helper()
	serial, err := domain.NewSerial(rand.Reader)
	require.NoError(t, err)
	p, err := c.PrepareIssue(f.profile, f.inter, serial, at)
	require.NoError(t, err)
	der, err := x509.CreateCertificate(rand.Reader, p.Template, p.Parent, p.PublicKey, f.interKey)
	require.NoError(t, err)
	return p, der
}

func TestPrepareIssueAnnouncesTheSerialItSigns(t *testing.T) {
	f := newFixture(t, webSpec("payments", true))
	s := newStream(t)
	s.history = f.historyIn(t, domain.StatusApproved)
	c := s.apply(nil, nil)
	p, der := prepareAndSign(t, f, c, t0)
	require.Len(t, p.Events, 1)
	assert.Equal(t, p.Intent, p.Events[0])
	assert.Equal(t, p.Template.SerialNumber.Text(16), p.Intent.Serial)
	assert.Equal(t, domain.PurposeCertificate, p.Intent.Purpose)
	assert.Equal(t, f.inter.HSMKeyLabel(), p.SignerLabel)

	_, err := c.Issue(der, f.inter, t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "a signature never announced is not recorded: %v", err)
	c = s.apply(p.Events, nil)
	c = s.apply(c.Issue(der, f.inter, t0))
	assert.Equal(t, domain.StatusIssued, c.Status())
}

func TestPrepareIssueRefusesBeforeSigning(t *testing.T) {
	f := newFixture(t, webSpec("payments", true))
	serial, err := domain.NewSerial(rand.Reader)
	require.NoError(t, err)
	tests := []struct {
		name   string
		status domain.CertStatus
		issuer *domain.CA
		kind   domain.ErrorKind
	}{
		{"pending approval", domain.StatusPendingApproval, f.inter, domain.KindConflict},
		{"rejected", domain.StatusRejected, f.inter, domain.KindConflict},
		{"another CA than requested", domain.StatusApproved, f.root, domain.KindInvalid},
		{"no CA", domain.StatusApproved, nil, domain.KindNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := domain.NewCertificateFromHistory(f.historyIn(t, tc.status))
			require.NoError(t, err)
			_, err = c.PrepareIssue(f.profile, tc.issuer, serial, t0)
			assert.Equal(t, tc.kind, domain.KindOf(err), "%v", err)
		})
	}
}

func TestAnOpenIntentBlocksUntilItIsStale(t *testing.T) {
	f := newFixture(t, webSpec("payments", true))
	s := newStream(t)
	s.history = f.historyIn(t, domain.StatusApproved)
	first, der := prepareAndSign(t, f, s.apply(nil, nil), t0)
	c := s.apply(first.Events, nil)

	serial, err := domain.NewSerial(rand.Reader)
	require.NoError(t, err)
	_, err = c.PrepareIssue(f.profile, f.inter, serial, t0.Add(time.Minute))
	assert.True(t, domain.IsKind(err, domain.KindConflict), "another signing is under way: %v", err)

	later := t0.Add(domain.SigningGrace + time.Minute)
	second, err := c.PrepareIssue(f.profile, f.inter, serial, later)
	require.NoError(t, err)
	require.Len(t, second.Events, 2)
	voided, ok := second.Events[0].(domain.SignatureVoided)
	require.True(t, ok, "the stale intent is voided first: %T", second.Events[0])
	assert.Equal(t, first.Intent.Serial, voided.Serial)
	c = s.apply(second.Events, nil)
	_, err = c.Issue(der, f.inter, later)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "a voided serial is never recorded as issued: %v", err)
}

func TestStaleSigningsVoidsOnlyOpenIntentsPastTheGrace(t *testing.T) {
	f := newFixture(t, webSpec("payments", true))
	s := newStream(t)
	s.history = f.historyIn(t, domain.StatusApproved)
	first, der := prepareAndSign(t, f, s.apply(nil, nil), t0)
	s.apply(first.Events, nil)

	assert.Empty(t, domain.StaleSignings(s.history, t0.Add(time.Minute)), "a young intent may still be recorded")
	stale := domain.StaleSignings(s.history, t0.Add(domain.SigningGrace))
	require.Len(t, stale, 1)
	assert.Equal(t, first.Intent.Serial, stale[0].(domain.SignatureVoided).Serial)

	c := s.apply(s.apply(nil, nil).Issue(der, f.inter, t0))
	assert.Equal(t, domain.StatusIssued, c.Status())
	assert.Empty(t, domain.StaleSignings(s.history, t0.Add(time.Hour)), "a recorded signature is not voided")
}
