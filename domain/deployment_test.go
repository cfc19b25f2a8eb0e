package domain_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

// deployInput is a PEM deployment of www.example.com for team payments to agent a.
func deployInput(t *testing.T, a *domain.Agent) domain.DeploymentInput {
	t.Helper()
	return domain.DeploymentInput{DeploymentID: uuid.NewString(), CA: newChain(t).inter, Profile: defineProfile(t, webSpec("payments", false)),
		Team: "payments", DNSNames: []string{"www.example.com"},
		Target: domain.DeploymentTarget{AgentID: a.ID(), Format: domain.FormatPEM, CertPath: "/etc/ssl/www.pem",
			KeyPath: "/etc/ssl/www.key", Hook: "nginx", VerifyEndpoint: "127.0.0.1:8443"}}
}

func enrolledAgent(t *testing.T) *domain.Agent {
	t.Helper()
	a := pendingAgent(t)
	enroll(t, a, t0)
	return a
}

func TestDeploymentEndsOnce(t *testing.T) {
	a := enrolledAgent(t)
	d := &domain.Deployment{}
	apply := func(evs []domain.Event, err error) {
		t.Helper()
		require.NoError(t, err)
		for _, e := range evs {
			require.NoError(t, d.Apply(e))
		}
	}
	apply(d.Request(deployInput(t, a), a, devOps, t0))
	assert.Equal(t, domain.DeploymentPending, d.Status())
	_, err := d.Succeed("f", "f", t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "nothing issued yet")
	apply(d.Issue(uuid.NewString(), "f1", t0))
	_, err = d.Succeed("f1", "other", t0)
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "the endpoint serves another certificate")
	apply(d.Succeed("f1", "f1", t0))
	assert.Equal(t, domain.DeploymentDone, d.Status())
	_, err = d.Fail("late", true, t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "a deployment ends once")
	_, err = d.Succeed("f1", "f1", t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict))
}

func TestDeploymentRefusals(t *testing.T) {
	a := enrolledAgent(t)
	cases := []struct {
		name   string
		change func(*domain.DeploymentInput)
		by     domain.Actor
		kind   domain.ErrorKind
	}{
		{"path traversal", func(in *domain.DeploymentInput) { in.Target.CertPath = "/etc/ssl/../shadow" }, devOps, domain.KindInvalid},
		{"relative path", func(in *domain.DeploymentInput) { in.Target.KeyPath = "www.key" }, devOps, domain.KindInvalid},
		{"a command line for a hook", func(in *domain.DeploymentInput) { in.Target.Hook = "systemctl reload nginx" }, devOps, domain.KindInvalid},
		{"unknown format", func(in *domain.DeploymentInput) { in.Target.Format = "zip" }, devOps, domain.KindInvalid},
		{"name outside the profile", func(in *domain.DeploymentInput) { in.DNSNames = []string{"www.evil.test"} }, devOps, domain.KindInvalid},
		{"another team", func(in *domain.DeploymentInput) {}, devOther, domain.KindForbidden},
		{"viewer", func(in *domain.DeploymentInput) {}, viewer, domain.KindForbidden},
		{"agent of another team", func(in *domain.DeploymentInput) {
			in.Profile = defineProfile(t, webSpec("", false))
			in.Team = "search"
		}, secOps, domain.KindForbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := deployInput(t, a)
			c.change(&in)
			_, err := (&domain.Deployment{}).Request(in, a, c.by, t0)
			assert.Truef(t, domain.IsKind(err, c.kind), "%v", err)
		})
	}
	_, err := (&domain.Deployment{}).Request(deployInput(t, a), pendingAgent(t), devOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "an agent not enrolled")
}

func TestRedeployKeepsTheTarget(t *testing.T) {
	a := enrolledAgent(t)
	d := &domain.Deployment{}
	in := deployInput(t, a)
	evs, err := d.Request(in, a, devOps, t0)
	require.NoError(t, err)
	require.NoError(t, d.Apply(evs[0]))
	again := d.Again(uuid.NewString(), in.CA, in.Profile)
	evs, err = (&domain.Deployment{}).Request(again, a, domain.Actor{Subject: domain.SystemSubject}, t0.Add(60*24*time.Hour))
	require.NoError(t, err, "the ledger itself deploys a renewal again")
	r := evs[0].(domain.DeploymentRequested)
	assert.Equal(t, in.Target, r.Target)
	assert.Equal(t, d.ID(), r.RedeployOf)
	_, err = (&domain.Deployment{}).Request(deployInput(t, a), a, domain.Actor{Subject: domain.SystemSubject}, t0)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "but deploys nothing new on its own")
}
