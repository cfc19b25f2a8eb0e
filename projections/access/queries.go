package access

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections"
)

// ErrNotFound is returned (wrapped) for a token the read model does not have.
var ErrNotFound = errors.New("not found in the access read model")

// Queries reads the access read model. It is safe for concurrent use.
type Queries struct {
	pool *pgxpool.Pool
}

// NewQueries returns the queries of the read model in the database of pool.
func NewQueries(pool *pgxpool.Pool) *Queries { return &Queries{pool: pool} }

// TokenRow is an API token as the read model has it; it carries no secret and no hash.
type TokenRow struct {
	ID          uuid.UUID   `json:"id"`
	Description string      `json:"description"`
	Role        domain.Role `json:"role"`
	Team        string      `json:"team"`
	IssuedBy    string      `json:"issued_by"`
	IssuedAt    time.Time   `json:"issued_at"`
	ExpiresAt   time.Time   `json:"expires_at"`
	RevokedAt   *time.Time  `json:"revoked_at,omitempty"`
	RevokedBy   string      `json:"revoked_by,omitempty"`
	// Position is the $all position of the last event that changed the token.
	Position int64 `json:"position"`
}

// Status returns whether the token is active, revoked or expired at now; revoked wins.
func (r TokenRow) Status(now time.Time) domain.TokenStatus {
	switch {
	case r.RevokedAt != nil:
		return domain.TokenRevoked
	case !now.Before(r.ExpiresAt):
		return domain.TokenExpired
	}
	return domain.TokenActive
}

const tokenSelect = `SELECT id, description, role, team, issued_by, issued_at, expires_at, revoked_at,
	coalesce(revoked_by, ''), position FROM rm_access.api_tokens`

// ListTokens returns the tokens issued by the subject issuedBy, or every token when issuedBy
// is empty, newest first.
func (q *Queries) ListTokens(ctx context.Context, issuedBy string) ([]TokenRow, error) {
	sql, args := tokenSelect+" ORDER BY issued_at DESC, id DESC", []any{}
	if issuedBy != "" {
		sql, args = tokenSelect+" WHERE issued_by = $1 ORDER BY issued_at DESC, id DESC", []any{issuedBy}
	}
	return projections.QueryAll(ctx, q.pool, "API tokens", scanToken, sql, args...)
}

// Token returns the token with the given id; a token never issued is ErrNotFound.
func (q *Queries) Token(ctx context.Context, id uuid.UUID) (TokenRow, error) {
	return projections.QueryOne(ctx, q.pool, "API token "+id.String(), ErrNotFound, scanToken, tokenSelect+" WHERE id = $1", id)
}

func scanToken(row pgx.CollectableRow) (TokenRow, error) {
	var t TokenRow
	err := row.Scan((*[16]byte)(&t.ID), &t.Description, &t.Role, &t.Team, &t.IssuedBy, &t.IssuedAt, &t.ExpiresAt,
		&t.RevokedAt, &t.RevokedBy, &t.Position)
	t.IssuedAt, t.ExpiresAt = t.IssuedAt.UTC(), t.ExpiresAt.UTC()
	if t.RevokedAt != nil {
		at := t.RevokedAt.UTC()
		t.RevokedAt = &at
	}
	return t, err
}
