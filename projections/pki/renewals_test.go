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
)

// TestRenewalsDueFollowTheProfile issues a 30-day certificate under the default policy (due
// after 20 days), then changes the profile to renew 30 days before the end: the read model
// lists it due at once, and no more once its RenewalDue is recorded.
func TestRenewalsDueFollowTheProfile(t *testing.T) {
	e := newEnv(t)
	r := e.runner(t)
	start(t, r)
	ctx := context.Background()
	ca := e.createCA(t, uuid.Nil, domain.KeyECDSAP256)
	e.defineProfile(t, "web", "", false, false)
	id := e.request(t, ca, "web", "web", secops, "renew.example.com")
	e.waitLive(t, r)
	due, err := e.q.RenewalsDue(ctx, time.Now(), 10)
	require.NoError(t, err)
	assert.Empty(t, due, "two thirds of 30 days have not passed")
	due, err = e.q.RenewalsDue(ctx, time.Now().Add(21*24*time.Hour), 10)
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{id}, due, "21 days on")

	spec := domain.ProfileSpec{Name: "web", AllowedDomains: []string{"example.com"}, KeyTypes: []domain.KeyType{domain.KeyECDSAP256},
		MaxValidityDays: 90, KeyUsages: []string{"digitalSignature"}, ExtKeyUsages: []string{"serverAuth"}, RequireCNInSANs: true,
		Renewal: &domain.RenewalPolicy{DaysBefore: 30}}
	_, err = e.h.DefineProfile.Handle(ctx, commands.DefineProfile{CommandID: uuid.New(), Spec: spec, Update: true}, secops)
	require.NoError(t, err)
	e.waitLive(t, r)
	due, err = e.q.RenewalsDue(ctx, time.Now(), 10)
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{id}, due, "30 days before the end of 30: now")

	_, err = e.h.DueRenewal.Handle(ctx, commands.DueRenewal{CertificateID: id})
	require.NoError(t, err)
	e.waitLive(t, r)
	due, err = e.q.RenewalsDue(ctx, time.Now().Add(25*24*time.Hour), 10)
	require.NoError(t, err)
	assert.Empty(t, due, "recorded due: never listed again")
}
