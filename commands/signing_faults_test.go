package commands_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/events"
)

// TestEveryCASignatureIsOnTheRecord forces conflicts and store failures around every command
// that signs with a CA key and requires, after each, that the signatures the HSM adapter
// counted equal the certificates the ledger records (issued or voided), and that a signature
// interrupted by a store outage is announced on the record and voided at the next signing.
func TestEveryCASignatureIsOnTheRecord(t *testing.T) {
	scenarios := []struct {
		name   string
		inject func(s *faultyStore, recordType string)
		// wantErr is the error the command ends with; nil for success.
		wantErr error
		// recorded and voided are how many serials the command adds to each.
		recorded, voided int
	}{
		{name: "no fault", inject: func(*faultyStore, string) {}, recorded: 1},
		{name: "conflicts before the signature", recorded: 1,
			inject: func(s *faultyStore, _ string) { s.inject("SigningStarted", conflict, 3) }},
		{name: "conflicts on the record, then it lands", recorded: 1,
			inject: func(s *faultyStore, record string) { s.inject(record, conflict, 2) }},
		{name: "conflicts on every retry of the record", wantErr: commands.ErrTooManyConflicts, voided: 1,
			inject: func(s *faultyStore, record string) { s.inject(record, conflict, commands.MaxAttempts) }},
		{name: "the store fails on the record", wantErr: errStoreDown, voided: 1,
			inject: func(s *faultyStore, record string) { s.inject(record, failure, 1) }},
		{name: "a concurrent writer voids the intent before the record", voided: 1,
			inject: func(s *faultyStore, record string) { s.inject(record, voidFirst, 1) }},
	}
	for _, op := range signingOperations {
		t.Run(op.name, func(t *testing.T) {
			l := newSigningLedger(t)
			for _, sc := range scenarios {
				t.Run(sc.name, func(t *testing.T) {
					run, _ := op.setup(t, l)
					before := l.requireAccounted(t)
					sc.inject(l.faults, op.recordType)
					err := run()
					l.faults.heal()
					switch {
					case sc.wantErr != nil:
						require.ErrorIs(t, err, sc.wantErr)
					case sc.voided > 0:
						require.Error(t, err, "the decision no longer held when the signature was to be recorded")
					default:
						require.NoError(t, err)
					}
					after := l.requireAccounted(t)
					assert.Equal(t, before.recorded+sc.recorded, after.recorded, "recorded")
					assert.Equal(t, before.voided+sc.voided, after.voided, "voided")
					assert.Zero(t, after.open, "no intent is left open")
				})
			}
			t.Run("the store is down after the signature", func(t *testing.T) {
				run, finish := op.setup(t, l)
				before := l.requireAccounted(t)
				l.faults.inject(op.recordType, failure, -1)
				l.faults.inject("SignatureVoided", failure, -1)
				require.ErrorIs(t, run(), errStoreDown)
				during := l.requireAccounted(t)
				assert.Equal(t, 1, during.open, "the intent announced the signature before it was made")

				l.faults.heal()
				l.later()
				require.NoError(t, finish(), "the next signing on the stream voids the stale intent first")
				after := l.requireAccounted(t)
				assert.Equal(t, before.recorded+1, after.recorded)
				assert.Equal(t, before.voided+1, after.voided)
				assert.Zero(t, after.open)
			})
		})
	}
}

// TestASigningUnderWayBlocksAnother checks that an open intent refuses a second signature on
// its stream until it is stale, so two commands never sign for one certificate at once.
func TestASigningUnderWayBlocksAnother(t *testing.T) {
	l := newSigningLedger(t)
	id := l.newCertificateID()
	l.faults.inject("CertificateIssued", failure, -1)
	l.faults.inject("SignatureVoided", failure, -1)
	require.ErrorIs(t, l.request(id, l.auto, t), errStoreDown)
	l.faults.heal()

	err := l.issue(id)()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is being signed")
	cert, _ := l.certificate(t, id)
	assert.Equal(t, "approved", string(cert.Status()))
	assert.Equal(t, 1, l.requireAccounted(t).open)
}

// TestASweepVoidsSigningsInterruptedByAnOutage checks that an intent left open by a store
// outage is voided by VoidStaleSignings once it is stale, and only then.
func TestASweepVoidsSigningsInterruptedByAnOutage(t *testing.T) {
	l := newSigningLedger(t)
	id := l.newCertificateID()
	stream := events.StreamName(events.CategoryCertificate, id)
	l.faults.inject("CertificateIssued", failure, -1)
	l.faults.inject("SignatureVoided", failure, -1)
	require.ErrorIs(t, l.request(id, l.auto, t), errStoreDown)
	l.faults.heal()

	res, err := l.h.VoidStaleSignings.Handle(t.Context(), commands.VoidStaleSignings{Stream: stream})
	require.NoError(t, err)
	assert.Zero(t, res.Appended, "a young intent may still be recorded")
	assert.Equal(t, 1, l.requireAccounted(t).open)

	l.later()
	res, err = l.h.VoidStaleSignings.Handle(t.Context(), commands.VoidStaleSignings{Stream: stream})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Appended)
	assert.Equal(t, accounting{recorded: 1, voided: 1}, l.requireAccounted(t), "the CA's responder certificate, and the voided serial")
	res, err = l.h.VoidStaleSignings.Handle(t.Context(), commands.VoidStaleSignings{Stream: stream})
	require.NoError(t, err)
	assert.Zero(t, res.Appended, "a second sweep finds nothing")

	require.NoError(t, l.issue(id)(), "the approved certificate can be issued again")
	assert.Equal(t, accounting{recorded: 2, voided: 1}, l.requireAccounted(t))
}

// TestARetriedRequestResumesAnIssuanceItsFirstRunLeftOpen retries a request, with its command
// id, after its first run died between the intent and the record: the retry is refused as a
// signing under way while the intent is young, then voids it and issues the certificate, once.
func TestARetriedRequestResumesAnIssuanceItsFirstRunLeftOpen(t *testing.T) {
	l := newSigningLedger(t)
	id := l.newCertificateID()
	cmd := commands.RequestCertificate{CommandID: uuid.New(), CertificateID: id, CAID: l.inter.String(), Profile: l.auto,
		CSRPEM: csrFor(t, "www.example.com"), Team: "web", ValidityDays: 30}
	retry := func() error {
		_, err := l.h.RequestCertificate.Handle(t.Context(), cmd, devops)
		return err
	}
	l.faults.inject("CertificateIssued", failure, -1)
	l.faults.inject("SignatureVoided", failure, -1)
	require.ErrorIs(t, retry(), errStoreDown)
	l.faults.heal()

	err := retry()
	require.Error(t, err, "the first run may still be signing: no answer of success for a certificate not issued")
	assert.Contains(t, err.Error(), "is being signed")
	assert.Equal(t, 1, l.requireAccounted(t).open)

	l.later()
	require.NoError(t, retry(), "once the intent is stale, the retry voids it and issues")
	cert, _ := l.certificate(t, id)
	assert.Equal(t, "issued", string(cert.Status()))
	assert.Equal(t, accounting{recorded: 2, voided: 1}, l.requireAccounted(t), "the responder, the resumed certificate, the voided serial")
	require.NoError(t, retry(), "a retry after the issuance answers as the issuance did")
	assert.Equal(t, accounting{recorded: 2, voided: 1}, l.requireAccounted(t), "and signs nothing more")
}
