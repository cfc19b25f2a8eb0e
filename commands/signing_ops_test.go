package commands_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// operation is a command that signs with the intermediate's key.
type operation struct {
	name string
	// recordType is the event that records the signed certificate.
	recordType string
	// setup prepares what the command acts on and returns the command.
	setup func(t *testing.T, l *signingLedger) (run func() error, finish func() error)
}

var signingOperations = []operation{
	{name: "issuance on request", recordType: "CertificateIssued", setup: func(t *testing.T, l *signingLedger) (func() error, func() error) {
		id := l.newCertificateID()
		return func() error { return l.request(id, l.auto, t) }, l.issue(id)
	}},
	{name: "issuance on approval", recordType: "CertificateIssued", setup: func(t *testing.T, l *signingLedger) (func() error, func() error) {
		id := l.newCertificateID()
		require.NoError(t, l.request(id, l.manual, t))
		return func() error {
			_, err := l.h.Approve.Handle(context.Background(), commands.Decision{CommandID: uuid.New(), CertificateID: id}, approver)
			return err
		}, l.issue(id)
	}},
	{name: "renewal", recordType: "CertificateIssued", setup: func(t *testing.T, l *signingLedger) (func() error, func() error) {
		old, renewal := l.newCertificateID(), l.newCertificateID()
		require.NoError(t, l.request(old, l.auto, t))
		return func() error {
			_, err := l.h.RenewCertificate.Handle(context.Background(), commands.RenewCertificate{CommandID: uuid.New(),
				CertificateID: old, NewCertificateID: renewal, CSRPEM: csrFor(t, "www.example.com")}, devops)
			return err
		}, l.issue(renewal)
	}},
	{name: "responder certification", recordType: "CAResponderCertified", setup: func(t *testing.T, l *signingLedger) (func() error, func() error) {
		certify := func() error {
			_, err := l.h.CertifyResponder.Handle(context.Background(), commands.CertifyResponder{CommandID: uuid.New(), CAID: l.inter}, secops)
			return err
		}
		return certify, certify
	}},
	{name: "sub-CA creation", recordType: "CAIntermediateCreated", setup: func(t *testing.T, l *signingLedger) (func() error, func() error) {
		id := uuid.New()
		l.subCAIDs = append(l.subCAIDs, id)
		create := func() error {
			_, err := l.h.CreateCA.Handle(context.Background(), commands.CreateCA{CommandID: uuid.New(), CAID: id, Name: "Sub",
				CommonName: "Sub CA " + id.String()[:8], KeyType: domain.KeyECDSAP256, ParentID: l.inter, ValidityDays: 365}, secops)
			return err
		}
		return create, create
	}},
	{name: "signing key creation", recordType: "SigningKeyCreated", setup: func(t *testing.T, l *signingLedger) (func() error, func() error) {
		id := uuid.New()
		l.signingKeyIDs = append(l.signingKeyIDs, id)
		create := func() error {
			_, err := l.h.CreateSigningKey.Handle(context.Background(), createSigningKey(id, l.inter, 0), secops)
			return err
		}
		return create, create
	}},
}

// issue returns an explicit issue of the approved certificate id.
func (l *signingLedger) issue(id uuid.UUID) func() error {
	return func() error {
		_, err := l.h.Issue.Handle(context.Background(), commands.Decision{CommandID: uuid.New(), CertificateID: id}, secops)
		return err
	}
}

// later moves the handlers' clock past the signing grace, as a restart after an outage would.
func (l *signingLedger) later() {
	at := time.Now().Add(domain.SigningGrace + time.Minute)
	commands.SetClock(l.h, func() time.Time { return at })
}
