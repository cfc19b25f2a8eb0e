package pki

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/codec"
	"github.com/certledger/certledger/events"
)

// revocationRow is a row of revocations.
type revocationRow struct {
	caID       uuid.UUID
	serial     string
	revokedAt  time.Time
	reason     int32
	invalidity *time.Time
	position   int64
	// caCertificate is set for the serial of an intermediate CA's certificate.
	caCertificate bool
}

// statement is one CA or profile statement; when one is set, it must change exactly one row.
type statement struct {
	sql  string
	args []any
	one  string // what the row is, for the error when it is missing
}

// batchState is a batch of events folded in memory: certificates created in the batch in
// their final state, patches of certificates created before it, revocations, and the CA and
// profile statements in event order.
type batchState struct {
	newCerts    map[uuid.UUID]*certRow
	newOrder    []uuid.UUID
	patches     map[uuid.UUID]*certPatch
	patchOrder  []uuid.UUID
	revocations []revocationRow
	intents     intents
	statements  []statement
	issued      []uuid.UUID // certificates issued in the batch, for their renew_at
}

// Apply applies one event; it is ApplyBatch of that event alone.
func (p *Projection) Apply(ctx context.Context, tx pgx.Tx, e events.Envelope) error {
	return p.ApplyBatch(ctx, tx, []events.Envelope{e})
}

// ApplyBatch folds the batch in memory and writes it in a few statements: new certificates
// with COPY (or INSERTs for a few), patches of earlier ones with one UPDATE, revocations with
// one INSERT, CA and profile events one statement each, all pipelined.
func (p *Projection) ApplyBatch(ctx context.Context, tx pgx.Tx, batch []events.Envelope) error {
	b := batchState{newCerts: map[uuid.UUID]*certRow{}, patches: map[uuid.UUID]*certPatch{}}
	for _, env := range batch {
		if err := p.fold(&b, env); err != nil {
			return fmt.Errorf("pki: %s event %s@%d (position %d): %w", env.Type, env.Stream, env.Revision, env.Position, err)
		}
	}
	return b.write(ctx, tx)
}

// fold adds one event to the batch; event types the read model does not use are skipped. A
// certificate event's status is the one the domain's lifecycle gives after it (patch).
func (p *Projection) fold(b *batchState, env events.Envelope) error {
	if _, known := p.registry.Version(env.Type); !known {
		return nil
	}
	v, err := codec.Decode(p.registry, env)
	if err != nil {
		return err
	}
	if err := b.intents.track(v, env.Stream); err != nil {
		return err
	}
	pos := int64(env.Position)
	switch e := v.(type) {
	case domain.CertificateRequested:
		row, err := requestedRow(e, pos)
		if err != nil {
			return err
		}
		if _, dup := b.newCerts[row.id]; dup {
			return fmt.Errorf("certificate %s was requested twice", row.id)
		}
		b.newCerts[row.id], b.newOrder = row, append(b.newOrder, row.id)
		return nil
	case domain.CertificateApproved:
		return b.patch(e, certPatch{updatedAt: e.ApprovedAt, position: pos})
	case domain.CertificateRejected:
		return b.patch(e, certPatch{updatedAt: e.RejectedAt, position: pos})
	case domain.CertificateIssued:
		d, err := issued(e)
		if err != nil {
			return err
		}
		if err := b.patch(e, certPatch{updatedAt: e.IssuedAt, position: pos, issued: d}); err != nil {
			return err
		}
		b.issuedInBatch(uuid.MustParse(e.CertificateID)) // patch parsed it
		return nil
	case domain.CertificateRenewed:
		by, err := uuid.Parse(e.SupersededBy)
		if err != nil {
			return fmt.Errorf("superseding certificate id: %w", err)
		}
		b.foldRenewal(e, pos)
		return b.patch(e, certPatch{updatedAt: e.RenewedAt, position: pos, supersededBy: &by})
	case domain.RenewalDue, domain.RenewalFailed:
		// No status changes; the renewal scheduler reads renewals.
		b.foldRenewal(e, pos)
		return nil
	case domain.CertificateRevoked:
		if err := b.revoke(e.CAID, e.Serial, e.RevokedAt, e.Reason, e.InvalidityDate, pos, false); err != nil {
			return err
		}
		d := &revokedDetails{at: e.RevokedAt.UTC(), reason: int32(e.Reason), invalidity: utc(e.InvalidityDate)}
		return b.patch(e, certPatch{updatedAt: e.RevokedAt, position: pos, revoked: d})
	case domain.CertificateExpired:
		return b.patch(e, certPatch{updatedAt: e.ExpiredAt, position: pos})
	case domain.CertificateExpiryWarned:
		// No status changes; the sweep reads expiry_warnings not to ask for a warning twice.
		b.statements = append(b.statements, statement{sql: `INSERT INTO expiry_warnings (certificate_id, days_before,
			warned_at, position) VALUES ($1, $2, $3, $4)`, args: []any{e.CertificateID, e.DaysBefore, e.WarnedAt.UTC(), pos}})
		return nil
	case domain.SignatureVoided:
		// A serial the CA may have signed but the ledger never recorded as valid: revoked on
		// the CA's CRL and in OCSP, the certificate row (if any) keeps its status. A voided
		// artifact signature or time-stamp token signed no certificate and is on no CRL.
		if e.Purpose == domain.PurposeArtifact || e.Purpose == domain.PurposeTimestamp {
			return nil
		}
		return b.revoke(e.CAID, e.Serial, e.VoidedAt, domain.ReasonCessationOfOperation, nil, pos, e.Purpose == domain.PurposeCA)
	}
	if _, ok := domain.StatusAfter(v); ok {
		return fmt.Errorf("%s: %w", v.EventType(), errNoCase)
	}
	return b.foldPKI(v, pos)
}

// patch records the change a certificate event makes to an existing certificate, with the
// status the domain's lifecycle gives after the event: on the certificate's row when the batch
// created it, in the batch's patch of it otherwise.
func (b *batchState) patch(e domain.Event, p certPatch) error {
	status, err := statusAfter(e)
	if err != nil {
		return err
	}
	id, err := uuid.Parse(e.Aggregate().ID)
	if err != nil {
		return fmt.Errorf("certificate id: %w", err)
	}
	p.id, p.status, p.updatedAt = id, status, p.updatedAt.UTC()
	if row := b.newCerts[id]; row != nil {
		row.apply(p)
		return nil
	}
	if q := b.patches[id]; q != nil {
		q.merge(p)
		return nil
	}
	b.patches[id], b.patchOrder = &p, append(b.patchOrder, id)
	return nil
}

// errNoCase reports a certificate event that fold does not handle.
var errNoCase = errors.New("certificate event without a case in the pki projection")

// statusAfter returns the certificate status after e, from the domain's lifecycle.
func statusAfter(e domain.Event) (string, error) {
	status, ok := domain.StatusAfter(e)
	if !ok {
		return "", fmt.Errorf("%s sets no certificate status", e.EventType())
	}
	return string(status), nil
}
