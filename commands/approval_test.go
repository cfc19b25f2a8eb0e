package commands_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

func TestApprovalFlowIssuesOnApprove(t *testing.T) {
	l := newLedger(t)
	ctx := context.Background()
	ca := l.createCA(t, uuid.Nil, domain.KeyECDSAP256)
	profile := l.defineProfile(t, true)
	id := uuid.New()
	outsider := commands.Caller{Actor: domain.Actor{Subject: "ops@example.com", Roles: []domain.Role{domain.RoleDevOps}, Team: "payments"}}

	_, err := l.h.RequestCertificate.Handle(ctx, commands.RequestCertificate{CommandID: uuid.New(), CertificateID: id,
		CAID: ca.String(), Profile: profile, CSRPEM: csrFor(t, "api.example.com"), Team: "payments", ValidityDays: 30}, outsider)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "a DEVOPS of another team cannot use the web profile: %v", err)

	_, err = l.h.RequestCertificate.Handle(ctx, commands.RequestCertificate{CommandID: uuid.New(), CertificateID: id,
		CAID: ca.String(), Profile: profile, CSRPEM: csrFor(t, "api.example.com"), Team: "web", ValidityDays: 30}, secops)
	require.NoError(t, err)
	cert, _ := l.certificate(t, id)
	assert.Equal(t, domain.StatusPendingApproval, cert.Status())

	_, err = l.h.Approve.Handle(ctx, commands.Decision{CommandID: uuid.New(), CertificateID: id}, secops)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "four eyes: the requester cannot approve: %v", err)

	other := commands.Caller{Actor: domain.Actor{Subject: "sec2@example.com", Roles: []domain.Role{domain.RoleSecOps}}}
	_, err = l.h.Approve.Handle(ctx, commands.Decision{CommandID: uuid.New(), CertificateID: id, Reason: "checked"}, other)
	require.NoError(t, err)
	cert, history := l.certificate(t, id)
	assert.Equal(t, domain.StatusIssued, cert.Status())
	assert.Equal(t, "sec2@example.com", history[len(history)-1].Metadata.Actor.Subject)
}

func TestPolicyViolationsAreListedAndChangeNothing(t *testing.T) {
	l := newLedger(t)
	ca := l.createCA(t, uuid.Nil, domain.KeyECDSAP256)
	profile := l.defineProfile(t, false)
	id := uuid.New()

	_, err := l.h.RequestCertificate.Handle(context.Background(), commands.RequestCertificate{CommandID: uuid.New(), CertificateID: id,
		CAID: ca.String(), Profile: profile, CSRPEM: csrFor(t, "www.evil.net", "*.example.com"), Team: "web", ValidityDays: 365}, devops)
	require.True(t, domain.IsKind(err, domain.KindPolicy), "%v", err)
	assert.GreaterOrEqual(t, len(domain.ViolationsOf(err)), 3, "domain, wildcard and validity are each listed: %v", err)

	cert, history := l.certificate(t, id)
	assert.False(t, cert.Exists())
	assert.Empty(t, history, "a refused request appends nothing")

	_, err = l.h.RequestCertificate.Handle(context.Background(), commands.RequestCertificate{CommandID: uuid.New(), CertificateID: id,
		CAID: ca.String(), Profile: profile, CSRPEM: []byte("-----BEGIN CERTIFICATE REQUEST-----\nnope\n"), Team: "web", ValidityDays: 30}, devops)
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "%v", err)
}

func TestARetriedRequestIssuesOneCertificate(t *testing.T) {
	l := newLedger(t)
	ca := l.createCA(t, uuid.Nil, domain.KeyECDSAP256)
	profile := l.defineProfile(t, false)
	cmd := commands.RequestCertificate{CommandID: uuid.New(), CertificateID: uuid.New(), CAID: ca.String(),
		Profile: profile, CSRPEM: csrFor(t, "www.example.com"), Team: "web", ValidityDays: 30}

	first, err := l.h.RequestCertificate.Handle(context.Background(), cmd, devops)
	require.NoError(t, err)
	retry, err := l.h.RequestCertificate.Handle(context.Background(), cmd, devops)
	require.NoError(t, err)
	assert.True(t, retry.Replayed)
	assert.Equal(t, first.Head, retry.Head)
	_, history := l.certificate(t, cmd.CertificateID)
	assert.Len(t, history, 4, "requested, approved, signing started, issued")
}

func TestRenewIssuesANewCertificateAndSupersedesTheOld(t *testing.T) {
	l := newLedger(t)
	ctx := context.Background()
	ca := l.createCA(t, uuid.Nil, domain.KeyECDSAP256)
	profile := l.defineProfile(t, false)
	oldID, newID := uuid.New(), uuid.New()
	_, err := l.h.RequestCertificate.Handle(ctx, commands.RequestCertificate{CommandID: uuid.New(), CertificateID: oldID,
		CAID: ca.String(), Profile: profile, CSRPEM: csrFor(t, "www.example.com"), Team: "web", ValidityDays: 30}, devops)
	require.NoError(t, err)

	renew := commands.RenewCertificate{CommandID: uuid.New(), CertificateID: oldID, NewCertificateID: newID, CSRPEM: csrFor(t, "www.example.com")}
	_, err = l.h.RenewCertificate.Handle(ctx, renew, devops)
	require.NoError(t, err)

	old, _ := l.certificate(t, oldID)
	renewed, _ := l.certificate(t, newID)
	assert.Equal(t, domain.StatusSuperseded, old.Status())
	assert.Equal(t, newID.String(), old.SupersededBy())
	assert.Equal(t, domain.StatusIssued, renewed.Status())
	assert.Equal(t, oldID.String(), renewed.Renews())

	_, err = l.h.RenewCertificate.Handle(ctx, renew, devops)
	require.NoError(t, err, "a retried renewal completes without appending again")
	_, oldHistory := l.certificate(t, oldID)
	assert.Len(t, oldHistory, 5, "requested, approved, signing started, issued, renewed")
}

func TestExpireCertificateOnceItsEndDateHasPassed(t *testing.T) {
	l := newLedger(t)
	ctx := context.Background()
	ca := l.createCA(t, uuid.Nil, domain.KeyECDSAP256)
	profile := l.defineProfile(t, false)
	id := uuid.New()
	_, err := l.h.RequestCertificate.Handle(ctx, commands.RequestCertificate{CommandID: uuid.New(), CertificateID: id,
		CAID: ca.String(), Profile: profile, CSRPEM: csrFor(t, "www.example.com"), Team: "web", ValidityDays: 1}, devops)
	require.NoError(t, err)

	_, err = l.h.ExpireCertificate.Handle(ctx, commands.ExpireCertificate{CertificateID: id})
	assert.True(t, domain.IsKind(err, domain.KindConflict) || domain.IsKind(err, domain.KindInvalid), "not yet: %v", err)

	cert, _ := l.certificate(t, id)
	commands.SetClock(l.h, func() time.Time { return cert.NotAfter().Add(time.Second) })
	_, err = l.h.ExpireCertificate.Handle(ctx, commands.ExpireCertificate{CertificateID: id})
	require.NoError(t, err)
	again, err := l.h.ExpireCertificate.Handle(ctx, commands.ExpireCertificate{CertificateID: id})
	require.NoError(t, err)
	assert.True(t, again.Replayed)
	cert, history := l.certificate(t, id)
	assert.Equal(t, domain.StatusExpired, cert.Status())
	assert.Equal(t, "certledger/system", history[len(history)-1].Metadata.Actor.Subject)
}
