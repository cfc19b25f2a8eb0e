package pki_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

func TestIssuedSinceAndExpiredBefore(t *testing.T) {
	e := newEnv(t)
	r := e.runner(t)
	start(t, r)
	ca := e.createCA(t, uuid.Nil, domain.KeyECDSAP256)
	e.defineProfile(t, "web", "", false, false)
	first := e.request(t, ca, "web", "web", secops, "a.example.com")
	second := e.request(t, ca, "web", "web", secops, "b.example.com")
	e.waitLive(t, r)
	ctx := context.Background()

	issued, err := e.q.IssuedSince(ctx, 0, 10)
	require.NoError(t, err)
	require.Len(t, issued, 2)
	assert.Less(t, issued[0].Position, issued[1].Position)
	later, err := e.q.IssuedSince(ctx, issued[0].Position, 10)
	require.NoError(t, err)
	require.Len(t, later, 1)
	assert.Equal(t, ca, later[0].CAID)
	latest, err := e.q.LatestPosition(ctx)
	require.NoError(t, err)
	assert.Equal(t, issued[1].Position, latest)

	row, err := e.q.CA(ctx, ca)
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:8080/crl/"+ca.String()+".crl", row.CRLURL, "the CRL URL its certificates name")

	none, err := e.q.ExpiredBefore(ctx, time.Now(), 10)
	require.NoError(t, err)
	assert.Empty(t, none, "30-day certificates are not expired today")
	due, err := e.q.ExpiredBefore(ctx, time.Now().Add(31*24*time.Hour), 10)
	require.NoError(t, err)
	assert.ElementsMatch(t, []uuid.UUID{first, second}, due)
}
