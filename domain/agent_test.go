package domain_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

var joinHash = strings.Repeat("ab", 32)

// pendingAgent is an agent whose join token secOps issued at t0, valid for an hour.
func pendingAgent(t *testing.T) *domain.Agent {
	t.Helper()
	a := &domain.Agent{}
	evs, err := a.IssueJoinToken(domain.JoinTokenInput{AgentID: uuid.NewString(), Name: "web-1", Team: "payments",
		CAID: uuid.NewString(), Profile: domain.AgentProfile, TTL: time.Hour, SecretSHA256: joinHash}, secOps, t0)
	require.NoError(t, err)
	require.NoError(t, a.Apply(evs[0]))
	return a
}

func enroll(t *testing.T, a *domain.Agent, at time.Time) {
	t.Helper()
	evs, err := a.Enroll(domain.Enrollment{SecretSHA256: joinHash, CertificateID: uuid.NewString(), Fingerprint: "f", Host: "web-1", Version: "1"}, at)
	require.NoError(t, err)
	require.NoError(t, a.Apply(evs[0]))
}

func TestJoinTokenIsMintedBySecOpsOnly(t *testing.T) {
	for _, by := range []domain.Actor{devOps, viewer, {Subject: "agent:x", Roles: []domain.Role{domain.RoleAgent}}} {
		_, err := (&domain.Agent{}).IssueJoinToken(domain.JoinTokenInput{AgentID: uuid.NewString(), Team: "payments",
			CAID: uuid.NewString(), Profile: domain.AgentProfile, TTL: time.Hour, SecretSHA256: joinHash}, by, t0)
		assert.Truef(t, domain.IsKind(err, domain.KindForbidden), "%s: %v", by.Subject, err)
	}
	a := &domain.Agent{}
	evs, err := a.IssueJoinToken(domain.JoinTokenInput{AgentID: uuid.NewString(), Team: "payments",
		CAID: uuid.NewString(), Profile: domain.AgentProfile, TTL: time.Hour, SecretSHA256: joinHash}, admin, t0)
	require.NoError(t, err)
	assert.True(t, evs[0].(domain.AgentJoinTokenIssued).Override, "ADMIN mints as an override")
	_, err = (&domain.Agent{}).IssueJoinToken(domain.JoinTokenInput{AgentID: "x", TTL: 48 * time.Hour}, secOps, t0)
	require.True(t, domain.IsKind(err, domain.KindInvalid))
	assert.Len(t, err.(*domain.Error).Violations, 6, "every problem is listed: %v", err)
}

func TestJoinTokenWorksOnceBeforeItExpires(t *testing.T) {
	a := pendingAgent(t)
	assert.True(t, domain.IsKind(a.CheckJoin(strings.Repeat("cd", 32), t0), domain.KindForbidden), "a wrong secret")
	assert.True(t, domain.IsKind(a.CheckJoin(joinHash, t0.Add(time.Hour)), domain.KindForbidden), "an expired token")
	require.NoError(t, a.CheckJoin(joinHash, t0.Add(time.Minute)))
	enroll(t, a, t0.Add(time.Minute))
	assert.Equal(t, domain.AgentEnrolledStatus, a.Status())
	_, err := a.Enroll(domain.Enrollment{SecretSHA256: joinHash, CertificateID: "c", Host: "h", Version: "1"}, t0.Add(2*time.Minute))
	assert.True(t, domain.IsKind(err, domain.KindConflict), "a replayed join token: %v", err)
}

func TestAgentCSRNamesOnlyItsOwnName(t *testing.T) {
	a := pendingAgent(t)
	own, _ := dnsCSR(t, "agent", domain.AgentDNSName(a.ID()))
	require.NoError(t, a.CheckCSR(own))
	for _, names := range [][]string{{domain.AgentDNSName(uuid.NewString())}, {domain.AgentDNSName(a.ID()), "www.example.com"}} {
		csr, _ := dnsCSR(t, "agent", names...)
		assert.True(t, domain.IsKind(a.CheckCSR(csr), domain.KindInvalid), "%v", names)
	}
}

func TestHeartbeatsAreCoalesced(t *testing.T) {
	a := pendingAgent(t)
	_, err := a.Heartbeat("web-1", "1", "idle", t0)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "a pending agent has no heartbeat")
	enroll(t, a, t0)
	beat := func(state string, at time.Time) int {
		evs, err := a.Heartbeat("web-1", "1", state, at)
		require.NoError(t, err)
		for _, e := range evs {
			require.NoError(t, a.Apply(e))
		}
		return len(evs)
	}
	assert.Equal(t, 1, beat("idle", t0), "the first is recorded")
	assert.Equal(t, 0, beat("idle", t0.Add(time.Minute)), "unchanged within the interval")
	assert.Equal(t, 1, beat("deploying", t0.Add(2*time.Minute)), "a changed state")
	assert.Equal(t, 1, beat("deploying", t0.Add(2*time.Minute+domain.AgentHeartbeatInterval)), "the interval passed")
}

func TestRevokedAgentIsDone(t *testing.T) {
	a := pendingAgent(t)
	enroll(t, a, t0)
	_, err := a.Revoke(devOps, t0, "lost")
	assert.True(t, domain.IsKind(err, domain.KindForbidden))
	evs, err := a.Revoke(secOps, t0, "host decommissioned")
	require.NoError(t, err)
	require.NoError(t, a.Apply(evs[0]))
	assert.Equal(t, domain.AgentRevokedStatus, a.Status())
	_, err = a.Heartbeat("web-1", "1", "idle", t0)
	assert.True(t, domain.IsKind(err, domain.KindForbidden))
	_, err = a.Revoke(secOps, t0, "again")
	assert.True(t, domain.IsKind(err, domain.KindConflict))
	assert.Error(t, a.Apply(domain.AgentHeartbeat{AgentID: a.ID()}), "nothing follows a revocation")
}

func TestAgentRoleComesOnlyFromCertificates(t *testing.T) {
	_, err := domain.ParseRole("AGENT")
	assert.Error(t, err, "no token or JWT may claim AGENT")
	id, ok := domain.AgentIDOf(domain.Actor{Subject: "agent:42", Roles: []domain.Role{domain.RoleAgent}})
	assert.True(t, ok)
	assert.Equal(t, "42", id)
	_, ok = domain.AgentIDOf(domain.Actor{Subject: "agent:42", Roles: []domain.Role{domain.RoleDevOps}})
	assert.False(t, ok, "the subject alone does not make an agent")
}
