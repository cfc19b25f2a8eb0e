package access

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/codec"
	"github.com/certledger/certledger/events"
)

// Apply applies one event inside tx, whose search_path is rm_access. Events other than the API
// token events are skipped.
func (p *Projection) Apply(ctx context.Context, tx pgx.Tx, env events.Envelope) error {
	if _, known := p.registry.Version(env.Type); !known {
		return nil
	}
	if err := p.apply(ctx, tx, env); err != nil {
		return fmt.Errorf("access: %s event %s@%d (position %d): %w", env.Type, env.Stream, env.Revision, env.Position, err)
	}
	return nil
}

func (p *Projection) apply(ctx context.Context, tx pgx.Tx, env events.Envelope) error {
	v, err := codec.Decode(p.registry, env)
	if err != nil {
		return err
	}
	pos := int64(env.Position)
	switch e := v.(type) {
	case domain.APITokenIssued:
		id, err := uuid.Parse(e.TokenID)
		if err != nil {
			return fmt.Errorf("token id: %w", err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO api_tokens (id, description, role, team, issued_by, issued_at, expires_at, position)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			id, e.Description, string(e.Role), e.Team, e.IssuedBy, e.IssuedAt.UTC(), e.ExpiresAt.UTC(), pos)
		return err
	case domain.APITokenRevoked:
		id, err := uuid.Parse(e.TokenID)
		if err != nil {
			return fmt.Errorf("token id: %w", err)
		}
		tag, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = $2, revoked_by = $3, position = $4
			WHERE id = $1 AND revoked_at IS NULL`, id, e.RevokedAt.UTC(), e.RevokedBy, pos)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("API token %s does not exist in the read model or is already revoked there", id)
		}
	}
	return nil
}
