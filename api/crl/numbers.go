package crl

import (
	"context"
	"fmt"
	"math/big"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// NumberStore hands out CRL numbers. Next must return, for one (CA, kind), numbers that strictly
// increase across calls, processes and restarts: a relying party keeps the CRL with the higher
// number.
type NumberStore interface {
	Next(ctx context.Context, caID, kind string) (*big.Int, error)
}

// KindComplete is the number sequence of a CA's complete and delta CRLs, which RFC 5280 §5.2.3
// makes one sequence. A partition is its own CRL scope; give it a kind of its own (PartitionKind).
const KindComplete = "complete"

// PartitionKind is the number sequence of partition n of a CA's CRL.
func PartitionKind(n int) string { return fmt.Sprintf("partition-%d", n) }

// DB is what PostgresNumberStore needs of Postgres; *pgxpool.Pool and pgx.Tx satisfy it.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// PostgresNumberStore keeps the last CRL number of each (CA, kind) in the crl_numbers table.
type PostgresNumberStore struct {
	db DB
}

// PostgresNumbers returns the NumberStore kept in db. Call EnsureSchema once before use.
func PostgresNumbers(db DB) *PostgresNumberStore {
	return &PostgresNumberStore{db: db}
}

const numbersSchema = `CREATE TABLE IF NOT EXISTS crl_numbers (
	ca_id      text        NOT NULL,
	kind       text        NOT NULL,
	number     bigint      NOT NULL CHECK (number > 0),
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (ca_id, kind)
)`

// EnsureSchema creates the crl_numbers table unless it exists; it is safe to call at every start.
func (s *PostgresNumberStore) EnsureSchema(ctx context.Context) error {
	if _, err := s.db.Exec(ctx, numbersSchema); err != nil {
		return fmt.Errorf("create table crl_numbers: %w", err)
	}
	return nil
}

// nextNumber increments a sequence in one statement: concurrent callers, in this process or
// another, each get a distinct, larger number, and the first call of a sequence gets 1.
const nextNumber = `INSERT INTO crl_numbers AS n (ca_id, kind, number) VALUES ($1, $2, 1)
ON CONFLICT (ca_id, kind) DO UPDATE SET number = n.number + 1, updated_at = now()
RETURNING n.number`

// Next returns the next CRL number of (caID, kind), durably recorded before it is returned.
func (s *PostgresNumberStore) Next(ctx context.Context, caID, kind string) (*big.Int, error) {
	var n int64
	if err := s.db.QueryRow(ctx, nextNumber, caID, kind).Scan(&n); err != nil {
		return nil, fmt.Errorf("next CRL number of %s/%s: %w", caID, kind, err)
	}
	return big.NewInt(n), nil
}
