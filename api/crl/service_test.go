package crl_test

import (
	"context"
	"crypto/x509"
	"encoding/asn1"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/api/crl"
)

// clock is a settable time source for Config.Clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

// deltaBase returns the Delta CRL Indicator of a published CRL, nil for a complete CRL.
func deltaBase(t *testing.T, c *crl.CRL) *big.Int {
	t.Helper()
	list, err := x509.ParseRevocationList(c.DER)
	require.NoError(t, err)
	require.Equal(t, c.Number, list.Number, "the published number is the one in the CRL")
	for _, ext := range list.Extensions {
		if ext.Id.Equal(oidDeltaIndicator) {
			var base *big.Int
			_, err := asn1.Unmarshal(ext.Value, &base)
			require.NoError(t, err)
			return base
		}
	}
	return nil
}

// current returns the complete and delta CRL of p's CA.
func current(t *testing.T, svc *crl.Service) (complete, delta *crl.CRL) {
	t.Helper()
	complete, err := svc.Complete("root")
	require.NoError(t, err)
	delta, err = svc.Delta("root")
	require.NoError(t, err)
	return complete, delta
}

func TestCRLNumbersGrowAcrossRebuildsAndRestart(t *testing.T) {
	ctx := context.Background()
	p := newPKI(t)
	pool := pgtest.NewDatabase(t)
	src := &source{}
	numbers := func() crl.NumberStore {
		store := crl.PostgresNumbers(pool)
		require.NoError(t, store.EnsureSchema(ctx))
		return store
	}
	svc := newService(t, p, src, numbers(), crl.Config{})
	var seen []*big.Int
	record := func(s *crl.Service) {
		c, d := current(t, s)
		assert.Nil(t, deltaBase(t, c))
		assert.NotNil(t, deltaBase(t, d))
		seen = append(seen, c.Number, d.Number)
	}

	require.NoError(t, svc.Refresh(ctx))
	record(svc)
	src.revoke("root", crl.Entry{Serial: big.NewInt(10), RevokedAt: time.Now()})
	require.NoError(t, svc.Refresh(ctx))
	record(svc)
	require.NoError(t, svc.Refresh(ctx))
	c, d := current(t, svc)
	assert.Equal(t, seen[2:], []*big.Int{c.Number, d.Number}, "nothing new, nothing rebuilt")

	restarted := newService(t, p, src, numbers(), crl.Config{})
	require.NoError(t, restarted.Refresh(ctx))
	record(restarted)
	c, _ = current(t, restarted)
	assert.Equal(t, 1, c.Entries, "a restarted service loads the CA's entries")

	for i := 1; i < len(seen); i++ {
		assert.Equal(t, 1, seen[i].Cmp(seen[i-1]), "CRL numbers strictly increase: %v", seen)
	}
}

func TestCompleteCRLIsRefreshedAtHalfValidityAndBecomesTheDeltaBase(t *testing.T) {
	ctx := context.Background()
	p := newPKI(t)
	src := &source{}
	clk := &clock{now: time.Now()}
	svc := newService(t, p, src, &memNumbers{}, crl.Config{Validity: 24 * time.Hour, DeltaValidity: time.Hour, Clock: clk.Now})

	require.NoError(t, svc.Refresh(ctx))
	base, d := current(t, svc)
	assert.Equal(t, base.Number, deltaBase(t, d))
	assert.Equal(t, clk.Now().UTC().Truncate(time.Second).Add(24*time.Hour), base.NextUpdate)

	src.revoke("root", crl.Entry{Serial: big.NewInt(10), RevokedAt: clk.Now()})
	require.NoError(t, svc.Refresh(ctx))
	c, d := current(t, svc)
	assert.Equal(t, 1, c.Entries)
	assert.Equal(t, 1, d.Entries)
	assert.Equal(t, base.Number, deltaBase(t, d), "revocations do not move the delta base")

	clk.advance(31 * time.Minute)
	require.NoError(t, svc.Refresh(ctx))
	c2, d2 := current(t, svc)
	assert.Same(t, c, c2, "the complete CRL is not due")
	assert.Equal(t, 1, d2.Number.Cmp(d.Number), "the delta CRL is refreshed at half its validity")
	assert.Equal(t, base.Number, deltaBase(t, d2))
	assert.Equal(t, 1, d2.Entries)

	clk.advance(12 * time.Hour)
	require.NoError(t, svc.Refresh(ctx))
	c3, d3 := current(t, svc)
	assert.Equal(t, 1, c3.Number.Cmp(d2.Number))
	assert.Equal(t, c3.Number, deltaBase(t, d3), "the refreshed complete CRL is the new base")
	assert.Equal(t, 0, d3.Entries)
	assert.Equal(t, 1, c3.Entries)
}

func TestMinCompleteIntervalLeavesNewRevocationsToTheDelta(t *testing.T) {
	ctx := context.Background()
	p := newPKI(t)
	src := &source{}
	clk := &clock{now: time.Now()}
	svc := newService(t, p, src, &memNumbers{}, crl.Config{MinCompleteInterval: 10 * time.Minute, Clock: clk.Now})
	require.NoError(t, svc.Refresh(ctx))
	c, _ := current(t, svc)

	src.revoke("root", crl.Entry{Serial: big.NewInt(10), RevokedAt: clk.Now()})
	require.NoError(t, svc.Refresh(ctx))
	c2, d2 := current(t, svc)
	assert.Same(t, c, c2)
	assert.Equal(t, 1, d2.Entries)

	clk.advance(10 * time.Minute)
	require.NoError(t, svc.Refresh(ctx))
	c3, _ := current(t, svc)
	assert.Equal(t, 1, c3.Entries)
}

func TestRunPollsUntilCancelled(t *testing.T) {
	p := newPKI(t)
	src := &source{}
	svc := newService(t, p, src, pgNumbers(t), crl.Config{PollInterval: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()

	require.Eventually(t, func() bool { _, err := svc.Complete("root"); return err == nil }, 5*time.Second, 5*time.Millisecond)
	src.revoke("root", crl.Entry{Serial: p.leaf.SerialNumber, RevokedAt: time.Now()})
	require.Eventually(t, func() bool { c, _ := svc.Complete("root"); return c.Entries == 1 }, 5*time.Second, 5*time.Millisecond)
	assert.Error(t, svc.Run(ctx), "a second Run is refused")
	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
}

func TestPositionSourceLoadsThenPollsFromItsLastPosition(t *testing.T) {
	src := &source{}
	for i := int64(1); i <= 3; i++ {
		src.revoke("root", crl.Entry{Serial: big.NewInt(i), RevokedAt: time.Now()})
	}
	svc := newService(t, newPKI(t), positioned{src}, &memNumbers{}, crl.Config{})
	require.NoError(t, svc.Refresh(context.Background()))
	c, _ := current(t, svc)
	assert.Equal(t, 3, c.Entries)
	assert.Equal(t, []int64{3}, src.polls)
}

func TestBadOrForeignRevocationsDoNotHoldBackOthers(t *testing.T) {
	src := &source{}
	svc := newService(t, newPKI(t), src, &memNumbers{}, crl.Config{})
	require.NoError(t, svc.Refresh(context.Background()))
	src.revoke("root", crl.Entry{Serial: big.NewInt(1), RevokedAt: time.Now(), Reason: 8})
	src.revoke("other-ca", crl.Entry{Serial: big.NewInt(2), RevokedAt: time.Now()})
	src.revoke("root", crl.Entry{Serial: big.NewInt(3), RevokedAt: time.Now()})
	require.NoError(t, svc.Refresh(context.Background()))
	c, _ := current(t, svc)
	assert.Equal(t, 1, c.Entries)
}
