package ops_test

import (
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/ops"
)

func TestNewRateLimiterRejectsBadConfigurations(t *testing.T) {
	key := func(echo.Context) (string, string) { return "", "" }
	good := ops.Limit{PerSecond: 1, Burst: 1}
	cases := map[string]struct {
		cfg  ops.RateLimitConfig
		want string
	}{
		"no key":           {ops.RateLimitConfig{Classes: map[string]ops.Limit{"read": good}}, "Key is nil"},
		"no classes":       {ops.RateLimitConfig{Key: key}, "no classes"},
		"empty class":      {ops.RateLimitConfig{Key: key, Classes: map[string]ops.Limit{"": good}}, `class ""`},
		"zero rate":        {ops.RateLimitConfig{Key: key, Classes: map[string]ops.Limit{"read": {Burst: 1}}}, "PerSecond must be"},
		"negative rate":    {ops.RateLimitConfig{Key: key, Classes: map[string]ops.Limit{"read": {PerSecond: -1, Burst: 1}}}, "PerSecond must be"},
		"zero burst":       {ops.RateLimitConfig{Key: key, Classes: map[string]ops.Limit{"read": {PerSecond: 1}}}, "Burst must be"},
		"negative TTL":     {ops.RateLimitConfig{Key: key, Classes: map[string]ops.Limit{"read": good}, IdleTTL: -time.Second}, "IdleTTL -1s is negative"},
		"negative max":     {ops.RateLimitConfig{Key: key, Classes: map[string]ops.Limit{"read": good}, MaxPrincipals: -1}, "MaxPrincipals -1"},
		"TTL below refill": {ops.RateLimitConfig{Key: key, Classes: map[string]ops.Limit{"slow": {PerSecond: 0.01, Burst: 10}}}, `class "slow": IdleTTL 10m0s is shorter than the 16m40s`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			limiter, err := ops.NewRateLimiter(tc.cfg)
			require.Error(t, err)
			assert.Nil(t, limiter)
			assert.Contains(t, err.Error(), "ops: invalid rate limit configuration")
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestNewRateLimiterAcceptsAGoodConfiguration(t *testing.T) {
	limiter, err := ops.NewRateLimiter(ops.RateLimitConfig{
		Classes: map[string]ops.Limit{"read": {PerSecond: 10, Burst: 20}, "issue": {PerSecond: 1.0 / 60, Burst: 5}},
		Key:     func(echo.Context) (string, string) { return "anyone", "read" },
	})
	require.NoError(t, err)
	assert.NotNil(t, limiter)
}
