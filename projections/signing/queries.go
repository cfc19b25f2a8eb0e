package signing

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/certledger/certledger/projections"
)

// Queries reads the code-signing read model. It is safe for concurrent use.
type Queries struct {
	pool *pgxpool.Pool
}

// NewQueries returns the queries of the read model in the database of pool.
func NewQueries(pool *pgxpool.Pool) *Queries { return &Queries{pool: pool} }

// RequestRow is a signature request as the read model has it: no signature, no CMS.
type RequestRow struct {
	ID                uuid.UUID `json:"id"`
	KeyID             uuid.UUID `json:"key_id"`
	Team              string    `json:"team"`
	Kind              string    `json:"kind"`
	Artifact          string    `json:"artifact"`
	DigestAlgorithm   string    `json:"digest_algorithm"`
	Digest            string    `json:"digest"` // hexadecimal
	RequestedBy       string    `json:"requested_by"`
	RequestedAt       time.Time `json:"requested_at"`
	ApprovalsRequired int       `json:"approvals_required"`
	Approvers         []string  `json:"approvers"`
	Status            string    `json:"status"`
	// Position is the $all position of the last event that changed the request.
	Position int64 `json:"position"`
}

// PendingFilter narrows the pending list: to one key (KeyID not uuid.Nil), and unless AllTeams
// to the requests of Team and those made by no team.
type PendingFilter struct {
	KeyID    uuid.UUID
	Team     string
	AllTeams bool
}

const requestSelect = `SELECT id, key_id, team, kind, artifact, digest_algorithm, digest, requested_by, requested_at,
	approvals_required, approvers, status, position FROM rm_signing.signature_requests
	WHERE status = 'pending_approval' AND ($1::uuid IS NULL OR key_id = $1) AND ($2 OR team = $3 OR team = '')
	ORDER BY requested_at, id`

// Pending returns the requests waiting for approval that f lets through, oldest first.
func (q *Queries) Pending(ctx context.Context, f PendingFilter) ([]RequestRow, error) {
	var key any
	if f.KeyID != uuid.Nil {
		key = f.KeyID
	}
	return projections.QueryAll(ctx, q.pool, "pending signature requests", scanRequest, requestSelect, key, f.AllTeams, f.Team)
}

func scanRequest(row pgx.CollectableRow) (RequestRow, error) {
	var r RequestRow
	err := row.Scan((*[16]byte)(&r.ID), (*[16]byte)(&r.KeyID), &r.Team, &r.Kind, &r.Artifact, &r.DigestAlgorithm, &r.Digest,
		&r.RequestedBy, &r.RequestedAt, &r.ApprovalsRequired, &r.Approvers, &r.Status, &r.Position)
	r.RequestedAt = r.RequestedAt.UTC()
	return r, err
}
