package projections

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
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
		return v, fmt.Errorf("read %s: %w", what, err)
	}
	return v, nil
}

// QueryAll runs a query of a read model and scans every row; what names the rows in errors,
// such as "CAs".
func QueryAll[T any](ctx context.Context, pool *pgxpool.Pool, what string, scan pgx.RowToFunc[T], sql string, args ...any) ([]T, error) {
	rows, _ := pool.Query(ctx, sql, args...) // CollectRows reports the query's error
	out, err := pgx.CollectRows(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", what, err)
	}
	return out, nil
}
