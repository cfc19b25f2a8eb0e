package ops_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/certledger/certledger/api/ops"
)

// The eviction tests look inside the limiter (export_test.go): by design, forgetting an idle
// principal changes nothing a client can observe.

func TestRateLimitForgetsIdlePrincipals(t *testing.T) {
	clock := newFakeClock()
	srv, limiter := rateLimitedServer(t, ops.RateLimitConfig{
		Classes: map[string]ops.Limit{"read": {PerSecond: 1, Burst: 2}},
		IdleTTL: time.Minute,
	}, clock)

	call(t, srv, "alice", "read")
	call(t, srv, "bob", "read")
	clock.Advance(30 * time.Second)
	call(t, srv, "carol", "read")
	assert.Equal(t, 3, limiter.PrincipalCount())

	clock.Advance(31 * time.Second) // alice and bob idle for 61 s, carol for 31 s
	call(t, srv, "dave", "read")
	assert.Equal(t, 2, limiter.PrincipalCount())
	assert.False(t, limiter.Remembers("alice"))
	assert.False(t, limiter.Remembers("bob"))
	assert.True(t, limiter.Remembers("carol"))
	assert.True(t, limiter.Remembers("dave"))
}

func TestRateLimitForgetsTheLeastRecentlySeenBeyondMaxPrincipals(t *testing.T) {
	clock := newFakeClock()
	srv, limiter := rateLimitedServer(t, ops.RateLimitConfig{
		Classes:       map[string]ops.Limit{"read": {PerSecond: 1, Burst: 5}},
		MaxPrincipals: 2,
	}, clock)

	call(t, srv, "alice", "read")
	clock.Advance(time.Second)
	call(t, srv, "bob", "read")
	clock.Advance(time.Second)
	call(t, srv, "alice", "read") // alice is now the most recently seen
	clock.Advance(time.Second)
	call(t, srv, "carol", "read")

	assert.Equal(t, 2, limiter.PrincipalCount())
	assert.True(t, limiter.Remembers("alice"))
	assert.False(t, limiter.Remembers("bob"))
	assert.True(t, limiter.Remembers("carol"))
}
