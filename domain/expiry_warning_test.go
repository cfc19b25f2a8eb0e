package domain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

// TestExpiryWarningsComeOncePerThreshold warns an issued certificate (30 days of validity from
// t0) as it crosses 30, 7 and 1 days before its end, each once.
func TestExpiryWarningsComeOncePerThreshold(t *testing.T) {
	f := newFixture(t, webSpec("", true))
	history := f.historyIn(t, domain.StatusIssued)
	c, err := domain.NewCertificateFromHistory(history)
	require.NoError(t, err)
	end := c.NotAfter()
	warn := func(days int, at time.Time) []domain.Event {
		t.Helper()
		evs, err := c.WarnExpiry(days, at)
		require.NoError(t, err)
		for _, e := range evs {
			require.NoError(t, c.Apply(e))
		}
		return evs
	}
	assert.Empty(t, warn(7, end.Add(-8*24*time.Hour)), "8 days before: not within 7 yet")
	got := warn(7, end.Add(-7*24*time.Hour+time.Minute))
	require.Len(t, got, 1)
	assert.Equal(t, domain.CertificateExpiryWarned{CertificateID: c.ID(), DaysBefore: 7, NotAfter: end.UTC(),
		WarnedAt: end.Add(-7*24*time.Hour + time.Minute).UTC()}, got[0])
	assert.Empty(t, warn(7, end.Add(-time.Hour)), "once per threshold")
	assert.Len(t, warn(1, end.Add(-time.Hour)), 1)
	assert.Empty(t, warn(30, end.Add(time.Minute)), "an ended certificate is not warned any more")
	_, err = c.WarnExpiry(0, end)
	assert.True(t, domain.IsKind(err, domain.KindInvalid))
	assert.Equal(t, domain.StatusIssued, c.Status(), "a warning changes no status")

	pending, err := domain.NewCertificateFromHistory(f.historyIn(t, domain.StatusPendingApproval))
	require.NoError(t, err)
	_, err = pending.WarnExpiry(30, t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "only issued certificates are warned: %v", err)
}
