package domain_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

func TestSCEPChallengeIsUsedOnceByItsProvisionerBeforeItExpires(t *testing.T) {
	at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	hash := strings.Repeat("ab", 32)
	secOps := domain.Actor{Subject: "alice", Roles: []domain.Role{domain.RoleSecOps}}
	_, err := domain.IssueSCEPChallenge("c1", "devices", "iot", hash, time.Hour, domain.Actor{Subject: "dev", Roles: []domain.Role{domain.RoleDevOps}, Team: "iot"}, at)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "DEVOPS mints no challenge: %v", err)
	for name, ttl := range map[string]time.Duration{"too short": time.Second, "too long": 31 * 24 * time.Hour} {
		_, err := domain.IssueSCEPChallenge("c1", "devices", "iot", hash, ttl, secOps, at)
		assert.True(t, domain.IsKind(err, domain.KindInvalid), name)
	}
	issued, err := domain.IssueSCEPChallenge("c1", "devices", "iot", hash, time.Hour, secOps, at)
	require.NoError(t, err)
	c, err := domain.NewSCEPChallengeFromHistory(issued)
	require.NoError(t, err)

	for name, try := range map[string]func() ([]domain.Event, error){
		"a wrong secret":      func() ([]domain.Event, error) { return c.Use(strings.Repeat("cd", 32), "devices", "cert-1", at) },
		"another provisioner": func() ([]domain.Event, error) { return c.Use(hash, "routers", "cert-1", at) },
		"after it expired":    func() ([]domain.Event, error) { return c.Use(hash, "devices", "cert-1", at.Add(time.Hour)) },
	} {
		_, err := try()
		assert.True(t, domain.IsKind(err, domain.KindForbidden), "%s: %v", name, err)
	}
	used, err := c.Use(hash, "devices", "cert-1", at.Add(time.Minute))
	require.NoError(t, err)
	require.Len(t, used, 1)
	c, err = domain.NewSCEPChallengeFromHistory(append(issued, used...))
	require.NoError(t, err)
	again, err := c.Use(hash, "devices", "cert-1", at.Add(2*time.Minute))
	require.NoError(t, err)
	assert.Empty(t, again, "the same enrollment again decides nothing new")
	_, err = c.Use(hash, "devices", "cert-2", at.Add(2*time.Minute))
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "a second certificate is refused: %v", err)
	assert.Equal(t, "iot", c.Team())
}
