package commands_test

import (
	"context"
	"crypto/x509"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// renewalProfile defines a web profile with the renewal policy and returns its spec.
func (l ledger) renewalProfile(t *testing.T, policy domain.RenewalPolicy) domain.ProfileSpec {
	t.Helper()
	spec := domain.ProfileSpec{Name: "renew-" + uuid.NewString()[:8], Team: "web", AllowedDomains: []string{"example.com"},
		KeyTypes: []domain.KeyType{domain.KeyECDSAP256}, MaxValidityDays: 90, KeyUsages: []string{"digitalSignature"},
		ExtKeyUsages: []string{"serverAuth"}, Renewal: &policy}
	_, err := l.h.DefineProfile.Handle(context.Background(), commands.DefineProfile{CommandID: uuid.New(), Spec: spec}, secops)
	require.NoError(t, err)
	return spec
}

// issued issues a 30-day certificate in profile from a fresh root and returns its id.
func (l ledger) issued(t *testing.T, profile string) uuid.UUID {
	t.Helper()
	ca := l.createCA(t, uuid.Nil, domain.KeyECDSAP256)
	id := uuid.New()
	_, err := l.h.RequestCertificate.Handle(context.Background(), commands.RequestCertificate{CommandID: uuid.New(),
		CertificateID: id, CAID: ca.String(), Profile: profile, CSRPEM: csrFor(t, "www.example.com"), Team: "web",
		ValidityDays: 30}, devops)
	require.NoError(t, err)
	return id
}

func eventTypes(t *testing.T, l ledger, id uuid.UUID) []string {
	_, history := l.certificate(t, id)
	var out []string
	for _, env := range history {
		out = append(out, env.Type)
	}
	return out
}

// TestAutomaticRenewalReusesTheCSRAndSupersedes makes a certificate due (21 of its 30 days),
// renews it with its CSR on record, and revokes the old one as superseded.
func TestAutomaticRenewalReusesTheCSRAndSupersedes(t *testing.T) {
	l := newLedger(t)
	ctx := context.Background()
	spec := l.renewalProfile(t, domain.RenewalPolicy{Mode: domain.RenewalReuseCSR, RevokeSuperseded: true})
	old := l.issued(t, spec.Name)

	res, err := l.h.DueRenewal.Handle(ctx, commands.DueRenewal{CertificateID: old})
	require.NoError(t, err)
	assert.Zero(t, res.Appended, "20 of 30 days have not passed yet")
	commands.SetClock(l.h, func() time.Time { return time.Now().Add(21 * 24 * time.Hour) })
	res, err = l.h.DueRenewal.Handle(ctx, commands.DueRenewal{CertificateID: old})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Appended)
	res, err = l.h.DueRenewal.Handle(ctx, commands.DueRenewal{CertificateID: old})
	require.NoError(t, err)
	assert.Zero(t, res.Appended, "due once")

	_, err = l.h.AutoRenew.Handle(ctx, commands.AutoRenew{CertificateID: old})
	require.NoError(t, err)
	successor := commands.SuccessorID(old)
	next, _ := l.certificate(t, successor)
	require.Equal(t, domain.StatusIssued, next.Status())
	assert.Equal(t, old.String(), next.Renews())
	assert.Equal(t, "certledger/renewal", next.RequestedBy())
	was, _ := l.certificate(t, old)
	assert.Equal(t, domain.StatusRevoked, was.Status())
	rev, _ := was.Revocation()
	assert.Equal(t, domain.ReasonSuperseded, rev.Reason)
	assert.Equal(t, successor.String(), was.SupersededBy())
	oldLeaf, err := x509.ParseCertificate(was.CertificateDER())
	require.NoError(t, err)
	newLeaf, err := x509.ParseCertificate(next.CertificateDER())
	require.NoError(t, err)
	assert.Equal(t, oldLeaf.RawSubjectPublicKeyInfo, newLeaf.RawSubjectPublicKeyInfo, "the CSR on record: the same key")
	assert.NotEqual(t, oldLeaf.SerialNumber, newLeaf.SerialNumber)

	before := eventTypes(t, l, old)
	_, err = l.h.AutoRenew.Handle(ctx, commands.AutoRenew{CertificateID: old})
	require.NoError(t, err)
	assert.Equal(t, before, eventTypes(t, l, old), "a renewed certificate is left alone")
	assert.Equal(t, []string{"CertificateRequested", "CertificateApproved", "SigningStarted", "CertificateIssued",
		"RenewalDue", "CertificateRenewed", "CertificateRevoked"}, before)
}

// TestFailedAutomaticRenewalIsRecordedAndRetried breaks the profile so the renewal is refused,
// records the failures once per attempt, then mends it and renews.
func TestFailedAutomaticRenewalIsRecordedAndRetried(t *testing.T) {
	l := newLedger(t)
	ctx := context.Background()
	spec := l.renewalProfile(t, domain.RenewalPolicy{Mode: domain.RenewalReuseCSR})
	old := l.issued(t, spec.Name)
	commands.SetClock(l.h, func() time.Time { return time.Now().Add(25 * 24 * time.Hour) })
	_, err := l.h.DueRenewal.Handle(ctx, commands.DueRenewal{CertificateID: old})
	require.NoError(t, err)

	broken := spec
	broken.AllowedDomains = []string{"example.org"}
	_, err = l.h.DefineProfile.Handle(ctx, commands.DefineProfile{CommandID: uuid.New(), Spec: broken, Update: true}, secops)
	require.NoError(t, err)
	_, err = l.h.AutoRenew.Handle(ctx, commands.AutoRenew{CertificateID: old})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "attempt 1")
	_, err = l.h.AutoRenew.Handle(ctx, commands.AutoRenew{CertificateID: old, Failures: 0})
	require.Error(t, err, "a read model that lags asks for attempt 1 again: the stream says 2")
	cert, history := l.certificate(t, old)
	assert.Equal(t, 2, cert.RenewalFailures())
	last := history[len(history)-1]
	assert.Equal(t, domain.TypeRenewalFailed, last.Type)
	assert.Contains(t, string(last.Data), "example.com")

	_, err = l.h.DefineProfile.Handle(ctx, commands.DefineProfile{CommandID: uuid.New(), Spec: spec, Update: true}, secops)
	require.NoError(t, err)
	_, err = l.h.AutoRenew.Handle(ctx, commands.AutoRenew{CertificateID: old, Failures: 2})
	require.NoError(t, err)
	cert, _ = l.certificate(t, old)
	assert.Equal(t, domain.StatusSuperseded, cert.Status(), "renewed, not revoked: the profile does not ask for it")
}

// recordingAgents is an AgentRenewer that records what it is handed.
type recordingAgents struct {
	mu  sync.Mutex
	got []commands.AgentRenewal
}

func (r *recordingAgents) RenewThroughAgent(_ context.Context, a commands.AgentRenewal) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, a)
	return nil
}

// TestAgentRenewalGoesThroughTheHook hands a due renewal in agent mode to the hook, and
// records a failure while no hook is configured.
func TestAgentRenewalGoesThroughTheHook(t *testing.T) {
	l := newLedger(t)
	ctx := context.Background()
	spec := l.renewalProfile(t, domain.RenewalPolicy{Mode: domain.RenewalAgent, DaysBefore: 10})
	old := l.issued(t, spec.Name)
	commands.SetClock(l.h, func() time.Time { return time.Now().Add(21 * 24 * time.Hour) })
	_, err := l.h.DueRenewal.Handle(ctx, commands.DueRenewal{CertificateID: old})
	require.NoError(t, err)

	_, err = l.h.AutoRenew.Handle(ctx, commands.AutoRenew{CertificateID: old})
	require.ErrorContains(t, err, "no agent renewer is configured")
	agents := &recordingAgents{}
	l.h.AutoRenew.UseAgentRenewer(agents)
	_, err = l.h.AutoRenew.Handle(ctx, commands.AutoRenew{CertificateID: old, Failures: 1})
	require.NoError(t, err)
	require.Len(t, agents.got, 1)
	assert.Equal(t, commands.AgentRenewal{CertificateID: old, SuccessorID: commands.SuccessorID(old), Attempt: 2,
		ProfileName: spec.Name, Team: "web", NotAfter: agents.got[0].NotAfter}, agents.got[0])
	assert.False(t, agents.got[0].NotAfter.IsZero())
}

// TestAutomaticRenewalWaitsForAnApproval renews in a profile that requires approval: the
// successor waits for a human, later rounds append nothing and record no failure, and the
// approval issues it and supersedes the old certificate.
func TestAutomaticRenewalWaitsForAnApproval(t *testing.T) {
	l := newLedger(t)
	ctx := context.Background()
	policy := domain.RenewalPolicy{Mode: domain.RenewalReuseCSR}
	spec := domain.ProfileSpec{Name: "approve-" + uuid.NewString()[:8], Team: "web", AllowedDomains: []string{"example.com"},
		KeyTypes: []domain.KeyType{domain.KeyECDSAP256}, MaxValidityDays: 90, KeyUsages: []string{"digitalSignature"},
		ExtKeyUsages: []string{"serverAuth"}, RequiresApproval: true, Renewal: &policy}
	_, err := l.h.DefineProfile.Handle(ctx, commands.DefineProfile{CommandID: uuid.New(), Spec: spec}, secops)
	require.NoError(t, err)
	old := l.issued(t, spec.Name) // DEVOPS of the profile's team: approved automatically
	commands.SetClock(l.h, func() time.Time { return time.Now().Add(21 * 24 * time.Hour) })
	_, err = l.h.DueRenewal.Handle(ctx, commands.DueRenewal{CertificateID: old})
	require.NoError(t, err)

	_, err = l.h.AutoRenew.Handle(ctx, commands.AutoRenew{CertificateID: old})
	require.NoError(t, err)
	successor := commands.SuccessorID(old)
	next, history := l.certificate(t, successor)
	assert.Equal(t, domain.StatusPendingApproval, next.Status(), "certledger/renewal never approves its own request")
	_, err = l.h.AutoRenew.Handle(ctx, commands.AutoRenew{CertificateID: old})
	require.NoError(t, err)
	_, again := l.certificate(t, successor)
	assert.Len(t, again, len(history), "waiting: nothing appended")
	was, _ := l.certificate(t, old)
	assert.Zero(t, was.RenewalFailures(), "waiting for a human is no failure")

	_, err = l.h.Approve.Handle(ctx, commands.Decision{CommandID: uuid.New(), CertificateID: successor, Reason: "renewal"}, secops)
	require.NoError(t, err)
	next, _ = l.certificate(t, successor)
	assert.Equal(t, domain.StatusIssued, next.Status())
	was, _ = l.certificate(t, old)
	assert.Equal(t, domain.StatusSuperseded, was.Status())
}
