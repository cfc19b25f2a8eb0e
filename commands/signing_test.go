package commands_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// signingLedger is a ledger on a fault-injecting store around the real one, with an
// intermediate CA whose HSM key's signatures the adapter counts.
type signingLedger struct {
	ledger
	faults         *faultyStore
	hsm            *hsm.HSM
	inter          uuid.UUID
	auto, manual   string // profiles without and with approval
	certificateIDs []uuid.UUID
}

func newSigningLedger(t *testing.T) *signingLedger {
	t.Helper()
	store := newStore(t)
	faults, token := newFaultyStore(store), hsmtest.Open(t)
	h, err := commands.NewHandlers(faults, hsm.KeyStore{HSM: token}, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(t, err)
	l := &signingLedger{ledger: ledger{h: h, store: store}, faults: faults, hsm: token}
	l.inter = l.createCA(t, l.createCA(t, uuid.Nil, domain.KeyECDSAP256), domain.KeyECDSAP256)
	l.auto, l.manual = l.defineProfile(t, false), l.defineProfile(t, true)
	return l
}

// newCertificateID returns an id for a new certificate whose stream the accounting reads.
func (l *signingLedger) newCertificateID() uuid.UUID {
	id := uuid.New()
	l.certificateIDs = append(l.certificateIDs, id)
	return id
}

// approver is a second SEC_OPS, for the four eyes of an approval.
var approver = commands.Caller{Actor: domain.Actor{Subject: "sec2@example.com", Roles: []domain.Role{domain.RoleSecOps}}}

// request requests a certificate from the intermediate under profile: a DEVOPS of the team
// for the profile without approval (issued at once), a SEC_OPS for the one with approval.
func (l *signingLedger) request(id uuid.UUID, profile string, t *testing.T) error {
	caller := devops
	if profile == l.manual {
		caller = secops
	}
	_, err := l.h.RequestCertificate(context.Background(), commands.RequestCertificate{CommandID: uuid.New(), CertificateID: id,
		CAID: l.inter.String(), Profile: profile, CSRPEM: csrFor(t, "www.example.com"), Team: "web", ValidityDays: 30}, caller)
	return err
}

// accounting is what the ledger records of the serials the intermediate's key signed.
type accounting struct {
	recorded, voided, open int
}

// account reads the intermediate's stream and every certificate stream of the test.
func (l *signingLedger) account(t *testing.T) accounting {
	t.Helper()
	streams := []string{events.StreamName(events.CategoryCA, l.inter)}
	for _, id := range l.certificateIDs {
		streams = append(streams, events.StreamName(events.CategoryCertificate, id))
	}
	ca := l.inter.String()
	started, recorded, voided := map[string]bool{}, map[string]bool{}, map[string]bool{}
	reg, err := commands.NewRegistry()
	require.NoError(t, err)
	for _, stream := range streams {
		history, _, err := l.store.Load(context.Background(), stream)
		require.NoError(t, err)
		for _, env := range history {
			v, err := reg.Decode(env)
			require.NoError(t, err)
			if caID, serial, kind := signedUnder(v); caID == ca {
				map[string]map[string]bool{"started": started, "recorded": recorded, "voided": voided}[kind][serial] = true
			}
		}
	}
	var a accounting
	for serial := range started {
		assert.False(t, recorded[serial] && voided[serial], "serial %s is both recorded and voided", serial)
		switch {
		case recorded[serial]:
			a.recorded++
		case voided[serial]:
			a.voided++
		default:
			a.open++
		}
	}
	assert.Len(t, recorded, a.recorded, "every recorded serial was announced first")
	return a
}

// requireAccounted requires that every signature of the intermediate's key is on the record:
// issued, voided, or announced by an intent that is still open.
func (l *signingLedger) requireAccounted(t *testing.T) accounting {
	t.Helper()
	a := l.account(t)
	signatures := l.hsm.Signatures(events.StreamName(events.CategoryCA, l.inter))
	require.Equal(t, signatures, int64(a.recorded+a.voided+a.open),
		"signatures of the CA key: %d; on the record: %+v", signatures, a)
	return a
}

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
			_, err := l.h.Approve(context.Background(), commands.Decision{CommandID: uuid.New(), CertificateID: id}, approver)
			return err
		}, l.issue(id)
	}},
	{name: "renewal", recordType: "CertificateIssued", setup: func(t *testing.T, l *signingLedger) (func() error, func() error) {
		old, renewal := l.newCertificateID(), l.newCertificateID()
		require.NoError(t, l.request(old, l.auto, t))
		return func() error {
			_, err := l.h.RenewCertificate(context.Background(), commands.RenewCertificate{CommandID: uuid.New(),
				CertificateID: old, NewCertificateID: renewal, CSRPEM: csrFor(t, "www.example.com")}, devops)
			return err
		}, l.issue(renewal)
	}},
	{name: "responder certification", recordType: "CAResponderCertified", setup: func(t *testing.T, l *signingLedger) (func() error, func() error) {
		certify := func() error {
			_, err := l.h.CertifyResponder(context.Background(), commands.CertifyResponder{CommandID: uuid.New(), CAID: l.inter}, secops)
			return err
		}
		return certify, certify
	}},
}

// issue returns an explicit issue of the approved certificate id.
func (l *signingLedger) issue(id uuid.UUID) func() error {
	return func() error {
		_, err := l.h.Issue(context.Background(), commands.Decision{CommandID: uuid.New(), CertificateID: id}, secops)
		return err
	}
}

// later moves the handlers' clock past the signing grace, as a restart after an outage would.
func (l *signingLedger) later() {
	at := time.Now().Add(domain.SigningGrace + time.Minute)
	commands.SetClock(l.h, func() time.Time { return at })
}

// signedUnder names the CA and serial of an event about a CA signature, and what it says:
// "started" (the intent), "recorded" or "voided"; other events give empty strings.
func signedUnder(v any) (caID, serial, kind string) {
	switch e := v.(type) {
	case *domain.SigningStarted:
		return e.CAID, e.Serial, "started"
	case *domain.CertificateIssued:
		return e.CAID, e.Serial, "recorded"
	case *domain.CAResponderCertified:
		return e.CAID, e.Serial, "recorded"
	case *domain.SignatureVoided:
		return e.CAID, e.Serial, "voided"
	}
	return "", "", ""
}
