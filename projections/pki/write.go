package pki

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// copyThreshold is the number of new certificates from which a batch writes them with COPY
// rather than with pipelined INSERTs; COPY costs a few round trips of its own.
const copyThreshold = 16

// insertCertSQL inserts one certificate row.
var insertCertSQL = func() string {
	params := make([]string, len(certColumns))
	for i := range params {
		params[i] = "$" + strconv.Itoa(i+1)
	}
	return "INSERT INTO certificates (" + strings.Join(certColumns, ", ") + ") VALUES (" + strings.Join(params, ", ") + ")"
}()

// revocationsSQL inserts the rows of revocations passed as arrays.
const revocationsSQL = `INSERT INTO revocations (ca_id, serial, revoked_at, reason, invalidity_date, position, ca_certificate)
	SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::int[], $5::timestamptz[], $6::bigint[], $7::bool[])`

// write writes the folded batch inside tx: one pipelined round trip for the statements, the
// few new certificates, the patches and the revocations, plus a COPY for many new certificates.
func (b *batchState) write(ctx context.Context, tx pgx.Tx) error {
	var q pgx.Batch
	for _, s := range b.statements {
		q.Queue(s.sql, s.args...).Exec(func(ct pgconn.CommandTag) error {
			if s.one != "" && ct.RowsAffected() != 1 {
				return fmt.Errorf("pki: %s does not exist in the read model", s.one)
			}
			return nil
		})
	}
	useCopy := len(b.newOrder) >= copyThreshold
	if !useCopy {
		for _, id := range b.newOrder {
			q.Queue(insertCertSQL, b.newCerts[id].values()...)
		}
	}
	if n := len(b.patchOrder); n > 0 {
		q.Queue(patchSQL, b.patchArgs()...).Exec(func(ct pgconn.CommandTag) error {
			switch {
			case ct.RowsAffected() == int64(n):
				return nil
			case n == 1:
				return fmt.Errorf("pki: certificate %s does not exist in the read model", b.patchOrder[0])
			}
			return fmt.Errorf("pki: %d of %d changed certificates do not exist in the read model", int64(n)-ct.RowsAffected(), n)
		})
	}
	if len(b.revocations) > 0 {
		q.Queue(revocationsSQL, b.revocationArgs()...)
	}
	insert, remove := b.intents.args()
	if len(b.intents.finished) > 0 {
		q.Queue(intentsDeleteSQL, remove...)
	}
	if len(b.intents.started) > 0 {
		q.Queue(intentsInsertSQL, insert...)
	}
	if q.Len() > 0 {
		if err := tx.SendBatch(ctx, &q).Close(); err != nil {
			return fmt.Errorf("pki: write: %w", err)
		}
	}
	if useCopy {
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"certificates"}, certColumns, pgx.CopyFromSlice(len(b.newOrder),
			func(i int) ([]any, error) { return b.newCerts[b.newOrder[i]].values(), nil }))
		if err != nil {
			return fmt.Errorf("pki: copy %d new certificates: %w", len(b.newOrder), err)
		}
	}
	return b.writeRenewAt(ctx, tx)
}

// writeRenewAt sets renew_at of the certificates the batch issued and clears it on those it
// moved out of issued, so that it depends on the events only, however they were batched.
func (b *batchState) writeRenewAt(ctx context.Context, tx pgx.Tx) error {
	if len(b.issued) > 0 {
		if _, err := tx.Exec(ctx, renewAtOfIssued, b.issued); err != nil {
			return fmt.Errorf("pki: renewal due times of %d issued certificates: %w", len(b.issued), err)
		}
	}
	if len(b.patchOrder) > 0 {
		if _, err := tx.Exec(ctx, renewAtCleared, b.patchOrder); err != nil {
			return fmt.Errorf("pki: renewal due times of %d changed certificates: %w", len(b.patchOrder), err)
		}
	}
	return nil
}

// patchArgs returns the patches as the arrays patchSQL unnests, in its parameter order.
func (b *batchState) patchArgs() []any {
	n := len(b.patchOrder)
	var (
		ids                                          = make([][16]byte, n)
		status                                       = make([]string, n)
		updated                                      = make([]time.Time, n)
		position                                     = make([]int64, n)
		issued, revoked                              = make([]bool, n), make([]bool, n)
		serial, cn, sans, dns, keyType, sig, fp, pem = make([]*string, n), make([]*string, n), make([]*string, n),
			make([]*string, n), make([]*string, n), make([]*string, n), make([]*string, n), make([]*string, n)
		bits, reason                             = make([]*int32, n), make([]*int32, n)
		notBefore, notAfter, issuedAt, revokedAt = make([]*time.Time, n), make([]*time.Time, n),
			make([]*time.Time, n), make([]*time.Time, n)
		invalidity   = make([]*time.Time, n)
		supersededBy = make([]pgtype.UUID, n)
	)
	for i, id := range b.patchOrder {
		p := b.patches[id]
		ids[i], status[i], updated[i], position[i] = p.id, p.status, p.updatedAt, p.position
		supersededBy[i] = pgOptionalID(p.supersededBy)
		if d := p.issued; d != nil {
			sanList, dnsList := arrayLiteral(d.sans), arrayLiteral(d.dnsNames)
			issued[i], serial[i], cn[i], sans[i], dns[i] = true, &d.serial, &d.subjectCN, &sanList, &dnsList
			keyType[i], bits[i], sig[i], fp[i], pem[i] = &d.keyType, &d.keyBits, &d.signatureAlgorithm, &d.fingerprint, &d.pem
			notBefore[i], notAfter[i], issuedAt[i] = &d.notBefore, &d.notAfter, &d.issuedAt
		}
		if d := p.revoked; d != nil {
			revoked[i], revokedAt[i], reason[i], invalidity[i] = true, &d.at, &d.reason, d.invalidity
		}
	}
	return []any{ids, status, updated, position, issued, serial, cn, sans, dns, keyType, bits, sig, notBefore,
		notAfter, fp, pem, issuedAt, supersededBy, revoked, revokedAt, reason, invalidity}
}

// revocationArgs returns the revocations as the arrays revocationsSQL unnests.
func (b *batchState) revocationArgs() []any {
	n := len(b.revocations)
	ca, serial, at, reason := make([][16]byte, n), make([]string, n), make([]time.Time, n), make([]int32, n)
	invalidity, position, caCert := make([]*time.Time, n), make([]int64, n), make([]bool, n)
	for i, r := range b.revocations {
		ca[i], serial[i], at[i], reason[i], invalidity[i], position[i] = r.caID, r.serial, r.revokedAt, r.reason, r.invalidity, r.position
		caCert[i] = r.caCertificate
	}
	return []any{ca, serial, at, reason, invalidity, position, caCert}
}
