package commands_test

import (
	"context"
	"crypto/x509"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/tests/testutil"
)

// agentLedger is a ledger with an agent CA under a root and the agents' profile.
func agentLedger(t *testing.T) (ledger, uuid.UUID) {
	t.Helper()
	l := newLedger(t)
	ca := l.createCA(t, l.createCA(t, uuid.Nil, domain.KeyECDSAP256), domain.KeyECDSAP256)
	_, err := l.h.DefineProfile.Handle(context.Background(), commands.DefineProfile{CommandID: uuid.New(), Spec: domain.AgentProfileSpec()}, secops)
	require.NoError(t, err)
	return l, ca
}

func (l ledger) joinToken(t *testing.T, ca uuid.UUID) commands.IssuedJoinToken {
	t.Helper()
	tok, err := l.h.IssueJoinToken.Handle(context.Background(), commands.IssueJoinToken{CommandID: uuid.New(), AgentID: uuid.New(),
		Name: "web-1", Team: "web", CAID: ca.String(), TTL: time.Hour}, secops)
	require.NoError(t, err)
	return tok
}

func (l ledger) streamLen(t *testing.T, category string, id uuid.UUID) int {
	t.Helper()
	history, _, err := l.store.Load(context.Background(), events.StreamName(category, id))
	require.NoError(t, err)
	return len(history)
}

func TestAgentEnrollsOnceWithItsJoinToken(t *testing.T) {
	ctx := context.Background()
	l, ca := agentLedger(t)
	tok := l.joinToken(t, ca)
	csr := testutil.CSR(t, domain.AgentDNSName(tok.AgentID.String()))
	enrolled, err := l.h.EnrollAgent.Handle(ctx, commands.EnrollAgent{JoinToken: tok.Token, CSRPEM: csr, Host: "web-1", Version: "0.1"}, commands.Caller{})
	require.NoError(t, err)
	assert.Equal(t, tok.AgentID, enrolled.AgentID)
	leaf, err := x509.ParseCertificate(enrolled.Chain[0])
	require.NoError(t, err)
	assert.Equal(t, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, leaf.ExtKeyUsage)
	assert.Len(t, enrolled.Chain, 3, "leaf, agent CA, root")
	agent, err := l.h.Queries.Agent(ctx, tok.AgentID)
	require.NoError(t, err)
	assert.Equal(t, domain.AgentEnrolledStatus, agent.Status())
	cert, history := l.certificate(t, commands.AgentCertificateID(tok.AgentID))
	assert.Equal(t, domain.StatusIssued, cert.Status())
	assert.Equal(t, domain.AgentSubjectPrefix+tok.AgentID.String(), history[0].Metadata.Actor.Subject, "the agent requested it")

	before := l.streamLen(t, events.CategoryAgent, tok.AgentID)
	_, err = l.h.EnrollAgent.Handle(ctx, commands.EnrollAgent{JoinToken: tok.Token, CSRPEM: testutil.CSR(t, domain.AgentDNSName(tok.AgentID.String())),
		Host: "evil", Version: "0.1"}, commands.Caller{})
	assert.True(t, domain.IsKind(err, domain.KindConflict), "a replayed join token: %v", err)
	assert.Equal(t, before, l.streamLen(t, events.CategoryAgent, tok.AgentID), "a replay changes nothing")
	assert.Len(t, history, l.streamLen(t, events.CategoryCertificate, commands.AgentCertificateID(tok.AgentID)))
}

func TestEnrollmentRefusals(t *testing.T) {
	ctx := context.Background()
	l, ca := agentLedger(t)
	tok := l.joinToken(t, ca)
	name := domain.AgentDNSName(tok.AgentID.String())
	cases := []struct {
		name  string
		token string
		csr   []byte
		kind  domain.ErrorKind
	}{
		{"garbage token", "clj_nonsense", testutil.CSR(t, name), domain.KindForbidden},
		{"wrong secret", tok.Token[:len(tok.Token)-4] + "AAAA", testutil.CSR(t, name), domain.KindForbidden},
		{"another agent's name", tok.Token, testutil.CSR(t, domain.AgentDNSName(uuid.NewString())), domain.KindInvalid},
		{"a web name", tok.Token, testutil.CSR(t, "www.example.com"), domain.KindInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := l.h.EnrollAgent.Handle(ctx, commands.EnrollAgent{JoinToken: c.token, CSRPEM: c.csr, Host: "h", Version: "1"}, commands.Caller{})
			assert.Truef(t, domain.IsKind(err, c.kind), "%v", err)
		})
	}
	assert.Equal(t, 1, l.streamLen(t, events.CategoryAgent, tok.AgentID), "only the join token")
	assert.Zero(t, l.streamLen(t, events.CategoryCertificate, commands.AgentCertificateID(tok.AgentID)), "nothing issued")
}

func TestAgentHeartbeatAndRevocation(t *testing.T) {
	ctx := context.Background()
	l, ca := agentLedger(t)
	tok := l.joinToken(t, ca)
	_, err := l.h.EnrollAgent.Handle(ctx, commands.EnrollAgent{JoinToken: tok.Token,
		CSRPEM: testutil.CSR(t, domain.AgentDNSName(tok.AgentID.String())), Host: "web-1", Version: "0.1"}, commands.Caller{})
	require.NoError(t, err)
	agent := commands.Caller{Actor: domain.Actor{Subject: domain.AgentSubjectPrefix + tok.AgentID.String(), Roles: []domain.Role{domain.RoleAgent}, Team: "web"}}
	for range 3 {
		_, err = l.h.AgentHeartbeat.Handle(ctx, commands.AgentHeartbeat{CommandID: uuid.New(), Host: "web-1", Version: "0.1", State: "idle"}, agent)
		require.NoError(t, err)
	}
	assert.Equal(t, 3, l.streamLen(t, events.CategoryAgent, tok.AgentID), "join token, enrolled, one heartbeat for three")
	_, err = l.h.AgentHeartbeat.Handle(ctx, commands.AgentHeartbeat{CommandID: uuid.New(), Host: "h", Version: "1", State: "idle"}, devops)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "not an agent")

	_, err = l.h.RevokeAgent.Handle(ctx, commands.RevokeAgent{CommandID: uuid.New(), AgentID: tok.AgentID, Reason: "decommissioned"}, secops)
	require.NoError(t, err)
	cert, _ := l.certificate(t, commands.AgentCertificateID(tok.AgentID))
	assert.Equal(t, domain.StatusRevoked, cert.Status(), "its certificate is revoked with it")
	_, err = l.h.AgentHeartbeat.Handle(ctx, commands.AgentHeartbeat{CommandID: uuid.New(), Host: "web-1", Version: "0.1", State: "idle"}, agent)
	assert.True(t, domain.IsKind(err, domain.KindForbidden))
}
