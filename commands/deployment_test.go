package commands_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/tests/testutil"
)

// enrolledAgent enrolls an agent of team web and returns it as a caller.
func (l ledger) enrolledAgent(t *testing.T, ca uuid.UUID) commands.Caller {
	t.Helper()
	tok := l.joinToken(t, ca)
	_, err := l.h.EnrollAgent.Handle(context.Background(), commands.EnrollAgent{JoinToken: tok.Token,
		CSRPEM: testutil.CSR(t, domain.AgentDNSName(tok.AgentID.String())), Host: "web-1", Version: "0.1"}, commands.Caller{})
	require.NoError(t, err)
	return commands.Caller{Actor: domain.Actor{Subject: domain.AgentSubjectPrefix + tok.AgentID.String(), Roles: []domain.Role{domain.RoleAgent}, Team: "web"}}
}

func agentID(c commands.Caller) string { id, _ := domain.AgentIDOf(c.Actor); return id }

func TestDeploymentFromRequestToSuccess(t *testing.T) {
	ctx := context.Background()
	l, agentCA := agentLedger(t)
	agent, other := l.enrolledAgent(t, agentCA), l.enrolledAgent(t, agentCA)
	webCA := l.createCA(t, uuid.Nil, domain.KeyECDSAP256)
	profile := l.defineProfile(t, false)
	id := uuid.New()
	target := domain.DeploymentTarget{AgentID: agentID(agent), Format: domain.FormatPEM, CertPath: "/srv/tls/www.pem", KeyPath: "/srv/tls/www.key", Hook: "nginx"}
	_, err := l.h.DeployCertificate.Handle(ctx, commands.DeployCertificate{CommandID: uuid.New(), DeploymentID: id, Target: target,
		CAID: webCA.String(), Profile: profile, Team: "web", DNSNames: []string{"www.example.com"}}, devops)
	require.NoError(t, err)

	csr := testutil.CSR(t, "www.example.com")
	_, err = l.h.IssueDeployment.Handle(ctx, commands.IssueDeployment{DeploymentID: id, CSRPEM: csr}, other)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "another agent's task: %v", err)
	_, err = l.h.IssueDeployment.Handle(ctx, commands.IssueDeployment{DeploymentID: id, CSRPEM: testutil.CSR(t, "mail.example.com")}, agent)
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "other names: %v", err)

	chain, err := l.h.IssueDeployment.Handle(ctx, commands.IssueDeployment{DeploymentID: id, CSRPEM: csr}, agent)
	require.NoError(t, err)
	again, err := l.h.IssueDeployment.Handle(ctx, commands.IssueDeployment{DeploymentID: id, CSRPEM: csr}, agent)
	require.NoError(t, err, "asking again with the same key, after a crash")
	assert.Equal(t, chain, again)
	_, err = l.h.IssueDeployment.Handle(ctx, commands.IssueDeployment{DeploymentID: id, CSRPEM: testutil.CSR(t, "www.example.com")}, agent)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "another key: %v", err)

	sum := sha256.Sum256(chain[0])
	fp := hex.EncodeToString(sum[:])
	report := commands.ReportDeployment{CommandID: uuid.New(), DeploymentID: id, Succeeded: true, Fingerprint: fp}
	_, err = l.h.ReportDeployment.Handle(ctx, report, other)
	assert.True(t, domain.IsKind(err, domain.KindForbidden))
	_, err = l.h.ReportDeployment.Handle(ctx, report, agent)
	require.NoError(t, err)
	report.CommandID, report.Succeeded, report.Reason = uuid.New(), false, "late"
	_, err = l.h.ReportDeployment.Handle(ctx, report, agent)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "it ended once")
	d, err := l.h.Queries.Deployment(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, domain.DeploymentDone, d.Status())

	next := uuid.New()
	_, err = l.h.DeployCertificate.Redeploy(ctx, commands.RedeployCertificate{CommandID: uuid.New(), DeploymentID: id, NewDeploymentID: next}, commands.System)
	require.NoError(t, err)
	r, err := l.h.Queries.Deployment(ctx, next)
	require.NoError(t, err)
	assert.Equal(t, target, r.Target())
	assert.Equal(t, id.String(), r.Requested().RedeployOf)
	history, _, err := l.store.Load(ctx, events.StreamName(events.CategoryDeployment, id))
	require.NoError(t, err)
	assert.Len(t, history, 3, "requested, issued, succeeded")
}
