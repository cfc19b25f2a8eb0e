package pki_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections/pki"
)

// TestExpiryWarningsAreDueOncePerThreshold issues a 30-day certificate: the 30-day warning is
// due at once and, once recorded, no more; the 7-day one is due 23 days later; a command run
// again for the same threshold appends nothing.
func TestExpiryWarningsAreDueOncePerThreshold(t *testing.T) {
	e := newEnv(t)
	r := e.runner(t)
	start(t, r)
	ca := e.createCA(t, uuid.Nil, domain.KeyECDSAP256)
	e.defineProfile(t, "web", "", false, false)
	id := e.request(t, ca, "web", "web", secops, "warn.example.com")
	e.waitLive(t, r)
	ctx := context.Background()
	thresholds := domain.DefaultExpiryWarnings
	due, err := e.q.ExpiryWarningsDue(ctx, thresholds, time.Now(), 10)
	require.NoError(t, err)
	assert.Equal(t, []pki.ExpiryWarning{{CertificateID: id, DaysBefore: 30}}, due, "a 30-day certificate is within 30 days at once")

	res, err := e.h.WarnExpiry.Handle(ctx, commands.WarnExpiry{CertificateID: id, DaysBefore: 30})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Appended)
	again, err := e.h.WarnExpiry.Handle(ctx, commands.WarnExpiry{CertificateID: id, DaysBefore: 30})
	require.NoError(t, err)
	assert.True(t, again.Replayed, "once per certificate and threshold")
	early, err := e.h.WarnExpiry.Handle(ctx, commands.WarnExpiry{CertificateID: id, DaysBefore: 7})
	require.NoError(t, err)
	assert.Equal(t, 0, early.Appended, "not within 7 days yet: nothing to record")
	e.waitLive(t, r)

	due, err = e.q.ExpiryWarningsDue(ctx, thresholds, time.Now(), 10)
	require.NoError(t, err)
	assert.Empty(t, due, "warned at 30 days")
	due, err = e.q.ExpiryWarningsDue(ctx, thresholds, time.Now().Add(24*24*time.Hour), 10)
	require.NoError(t, err)
	assert.Equal(t, []pki.ExpiryWarning{{CertificateID: id, DaysBefore: 7}}, due)
	row, err := e.q.Certificate(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, domain.StatusIssued, row.Status, "a warning changes no status")
}
