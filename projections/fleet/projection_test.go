package fleet_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/infra/migrations"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/fleet"
	"github.com/certledger/certledger/projections/projectiontest"
	"github.com/certledger/certledger/tests/testutil"
)

func TestMain(m *testing.M) { hsmtest.Main(m) }

var _ projections.Projection = (*fleet.Projection)(nil)

var secops = commands.Caller{Actor: domain.Actor{Subject: "sec@example.com", Roles: []domain.Role{domain.RoleSecOps}}}

// TestFleetFollowsAgentsAndDeployments runs an agent's life and a deployment's through the
// real commands and checks the rows and the task poll's positions at each step.
func TestFleetFollowsAgentsAndDeployments(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewDatabase(t)
	require.NoError(t, migrations.Migrate(ctx, pool))
	store := eventstore.New(storetest.Client(t, storetest.Start(t)))
	app, err := commands.NewApplication(store, hsm.KeyStore{HSM: hsmtest.Open(t)}, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(t, err)
	runner := projectiontest.Start(t, pool, store, []projections.Projection{fleet.New()})
	q := fleet.NewQueries(pool)

	root, ca := uuid.New(), uuid.New()
	for _, c := range []commands.CreateCA{{CAID: root, Name: "Root", CommonName: "Root", ValidityDays: 3650, PathLen: 1},
		{CAID: ca, ParentID: root, Name: "Agents", CommonName: "Agents", ValidityDays: 1825}} {
		c.CommandID, c.KeyType = uuid.New(), domain.KeyECDSAP256
		_, err := app.CreateCA.Handle(ctx, c, secops)
		require.NoError(t, err)
	}
	for _, spec := range []domain.ProfileSpec{domain.AgentProfileSpec(), {Name: "web", Team: "web", AllowedDomains: []string{"example.com"},
		KeyTypes: []domain.KeyType{domain.KeyECDSAP256}, MaxValidityDays: 90, KeyUsages: []string{"digitalSignature"}, ExtKeyUsages: []string{"serverAuth"}}} {
		_, err := app.DefineProfile.Handle(ctx, commands.DefineProfile{CommandID: uuid.New(), Spec: spec}, secops)
		require.NoError(t, err)
	}
	tok, err := app.IssueJoinToken.Handle(ctx, commands.IssueJoinToken{CommandID: uuid.New(), AgentID: uuid.New(), Name: "web-1", Team: "web", CAID: ca.String()}, secops)
	require.NoError(t, err)
	projectiontest.WaitLive(t, runner, store)
	agents, err := q.ListAgents(ctx, "web")
	require.NoError(t, err)
	require.Len(t, agents, 1)
	assert.Equal(t, domain.AgentPending, agents[0].Status)

	_, err = app.EnrollAgent.Handle(ctx, commands.EnrollAgent{JoinToken: tok.Token, CSRPEM: testutil.CSR(t, domain.AgentDNSName(tok.AgentID.String())),
		Host: "web-1.internal", Version: "0.1"}, commands.Caller{})
	require.NoError(t, err)
	agent := commands.Caller{Actor: domain.Actor{Subject: domain.AgentSubjectPrefix + tok.AgentID.String(), Roles: []domain.Role{domain.RoleAgent}, Team: "web"}}
	_, err = app.AgentHeartbeat.Handle(ctx, commands.AgentHeartbeat{CommandID: uuid.New(), Host: "web-1.internal", Version: "0.2", State: "idle"}, agent)
	require.NoError(t, err)
	projectiontest.WaitLive(t, runner, store)
	row, err := q.AgentByCertificate(ctx, commands.AgentCertificateID(tok.AgentID))
	require.NoError(t, err)
	assert.Equal(t, domain.AgentEnrolledStatus, row.Status)
	assert.Equal(t, "0.2", row.Version)
	assert.Equal(t, "idle", row.State)
	require.NotNil(t, row.LastSeen)
	_, err = q.AgentByCertificate(ctx, uuid.New())
	assert.ErrorIs(t, err, fleet.ErrNotFound)

	tasks, top, err := q.AgentTasks(ctx, tok.AgentID)
	require.NoError(t, err)
	assert.Empty(t, tasks)
	dep := uuid.New()
	_, err = app.DeployCertificate.Handle(ctx, commands.DeployCertificate{CommandID: uuid.New(), DeploymentID: dep, CAID: root.String(),
		Profile: "web", Team: "web", DNSNames: []string{"www.example.com"}, Target: domain.DeploymentTarget{AgentID: tok.AgentID.String(),
			Format: domain.FormatJKS, KeystorePath: "/srv/app/keystore.jks"}}, secops)
	require.NoError(t, err)
	projectiontest.WaitLive(t, runner, store)
	changed, _, err := q.ChangedAgents(ctx, top)
	require.NoError(t, err)
	assert.Contains(t, changed, tok.AgentID, "the poll sees the agent's new task")
	tasks, _, err = q.AgentTasks(ctx, tok.AgentID)
	require.NoError(t, err)
	require.Len(t, tasks, 1)
	assert.Equal(t, domain.FormatJKS, tasks[0].Target.Format)

	chain, err := app.IssueDeployment.Handle(ctx, commands.IssueDeployment{DeploymentID: dep, CSRPEM: testutil.CSR(t, "www.example.com")}, agent)
	require.NoError(t, err)
	sum := sha256.Sum256(chain[0])
	_, err = app.ReportDeployment.Handle(ctx, commands.ReportDeployment{CommandID: uuid.New(), DeploymentID: dep, Succeeded: true,
		Fingerprint: hex.EncodeToString(sum[:])}, agent)
	require.NoError(t, err)
	projectiontest.WaitLive(t, runner, store)
	tasks, _, err = q.AgentTasks(ctx, tok.AgentID)
	require.NoError(t, err)
	assert.Empty(t, tasks, "a deployment that ended is no task")
	deps, err := q.ListDeployments(ctx, "web", 10)
	require.NoError(t, err)
	require.Len(t, deps, 1)
	assert.Equal(t, domain.DeploymentDone, deps[0].Status)
	assert.Equal(t, hex.EncodeToString(sum[:]), deps[0].Fingerprint)
	require.NotNil(t, deps[0].EndedAt)
	assert.WithinDuration(t, time.Now(), *deps[0].EndedAt, time.Minute)
}
