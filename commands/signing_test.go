package commands_test

import (
	"context"
	"testing"

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
	subCAIDs       []uuid.UUID
	signingKeyIDs  []uuid.UUID
}

func newSigningLedger(t *testing.T) *signingLedger {
	t.Helper()
	store := newStore(t)
	faults, token := newFaultyStore(store), hsmtest.Open(t)
	h, err := commands.NewApplication(faults, hsm.KeyStore{HSM: token}, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(t, err)
	l := &signingLedger{ledger: ledger{h: h, store: store}, faults: faults, hsm: token}
	root := l.newCA(t, uuid.Nil, 2)
	l.inter = l.newCA(t, root, 1) // path length 1, so that it can sign a sub-CA
	l.auto, l.manual = l.defineProfile(t, false), l.defineProfile(t, true)
	return l
}

// newCA creates a P-256 CA under parent (uuid.Nil for a root) with path length pathLen; a
// longer path gets a longer validity, so that each CA ends before its parent.
func (l *signingLedger) newCA(t *testing.T, parent uuid.UUID, pathLen int) uuid.UUID {
	t.Helper()
	id := uuid.New()
	_, err := l.h.CreateCA.Handle(context.Background(), commands.CreateCA{CommandID: uuid.New(), CAID: id, Name: "CA " + id.String()[:8],
		CommonName: "Test CA " + id.String()[:8], KeyType: domain.KeyECDSAP256, ParentID: parent,
		ValidityDays: 1825 + 900*pathLen, PathLen: pathLen}, secops)
	require.NoError(t, err)
	return id
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
	_, err := l.h.RequestCertificate.Handle(context.Background(), commands.RequestCertificate{CommandID: uuid.New(), CertificateID: id,
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
	for _, id := range l.subCAIDs {
		streams = append(streams, events.StreamName(events.CategoryCA, id))
	}
	for _, id := range l.signingKeyIDs {
		streams = append(streams, events.StreamName(events.CategorySigningKey, id))
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

// signedUnder names the CA and serial of an event about a CA signature, and what it says:
// "started" (the intent), "recorded" or "voided"; other events give empty strings.
func signedUnder(v any) (caID, serial, kind string) {
	switch e := v.(type) {
	case domain.SigningStarted:
		return e.CAID, e.Serial, "started"
	case domain.CertificateIssued:
		return e.CAID, e.Serial, "recorded"
	case domain.CAResponderCertified:
		return e.CAID, e.Serial, "recorded"
	case domain.CAIntermediateCreated:
		return e.ParentID, e.Serial, "recorded"
	case domain.SigningKeyCreated:
		return e.CAID, e.Serial, "recorded"
	case domain.SignatureVoided:
		return e.CAID, e.Serial, "voided"
	}
	return "", "", ""
}
