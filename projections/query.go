package projections

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// QueryOne runs a query for one row of a read model and scans it. No row is an error wrapping
// notFound; what names the row in errors, such as "CA 7f6b…".
func QueryOne[T any](ctx context.Context, pool *pgxpool.Pool, what string, notFound error, scan pgx.RowToFunc[T],
	sql string, args ...any) (T, error) {
	rows, _ := pool.Query(ctx, sql, args...) // CollectExactlyOneRow reports the query's error
	v, err := pgx.CollectExactlyOneRow(rows, scan)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, fmt.Errorf("%s: %w", what, notFound)
	}
	if err != nil {
		return v, fmt.Errorf("read %s: %w", what, NotReady(err))
	}
	return v, nil
}

// QueryAll runs a query of a read model and scans every row; what names the rows in errors,
// such as "CAs".
func QueryAll[T any](ctx context.Context, pool *pgxpool.Pool, what string, scan pgx.RowToFunc[T], sql string, args ...any) ([]T, error) {
	rows, _ := pool.Query(ctx, sql, args...) // CollectRows reports the query's error
	out, err := pgx.CollectRows(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", what, NotReady(err))
	}
	return out, nil
}

// ErrNotReady says a read model's tables do not exist yet: the runner has not prepared the
// projection's schema (the ledger is starting) or a replay dropped it. It is not a failure of
// the request; the API answers 503 with Retry-After.
var ErrNotReady = errors.New("the read model is not ready yet")

// NotReady wraps a query error that is a missing table or schema (SQLSTATE 42P01, 3F000) in
// ErrNotReady, and returns any other error unchanged; read models that run their own queries
// wrap their errors with it.
func NotReady(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "42P01" || pgErr.Code == "3F000") {
		return fmt.Errorf("%w: %w", ErrNotReady, err)
	}
	return err
}
