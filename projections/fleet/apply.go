package fleet

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/codec"
	"github.com/certledger/certledger/events"
)

// Apply applies one event inside tx, whose search_path is rm_fleet; other events are skipped.
func (p *Projection) Apply(ctx context.Context, tx pgx.Tx, env events.Envelope) error {
	if _, known := p.registry.Version(env.Type); !known {
		return nil
	}
	v, err := codec.Decode(p.registry, env)
	if err == nil {
		err = apply(ctx, tx, v, int64(env.Position))
	}
	if err != nil {
		return fmt.Errorf("fleet: %s event %s@%d (position %d): %w", env.Type, env.Stream, env.Revision, env.Position, err)
	}
	return nil
}

func apply(ctx context.Context, tx pgx.Tx, v domain.Event, pos int64) error {
	switch e := v.(type) {
	case domain.AgentJoinTokenIssued:
		_, err := tx.Exec(ctx, `INSERT INTO agents (id, name, team, status, issued_by, issued_at, join_expires_at, position)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, e.AgentID, e.Name, e.Team, string(domain.AgentPending), e.IssuedBy,
			e.IssuedAt.UTC(), e.ExpiresAt.UTC(), pos)
		return err
	case domain.AgentEnrolled:
		return update(ctx, tx, "agents", e.AgentID, `status = $2, certificate_id = $3, fingerprint = $4, host = $5, version = $6,
			enrolled_at = $7, last_seen = $7, position = $8`, string(domain.AgentEnrolledStatus), e.CertificateID, e.Fingerprint,
			e.Host, e.Version, e.EnrolledAt.UTC(), pos)
	case domain.AgentHeartbeat:
		return update(ctx, tx, "agents", e.AgentID, `host = $2, version = $3, state = $4, last_seen = $5, position = $6`,
			e.Host, e.Version, e.State, e.SeenAt.UTC(), pos)
	case domain.AgentRevoked:
		return update(ctx, tx, "agents", e.AgentID, `status = $2, revoked_at = $3, position = $4`,
			string(domain.AgentRevokedStatus), e.RevokedAt.UTC(), pos)
	case domain.DeploymentRequested:
		target, err := json.Marshal(e.Target)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO deployments (id, agent_id, team, status, target, dns_names, ca_id, profile,
			redeploy_of, requested_by, requested_at, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			e.DeploymentID, e.Target.AgentID, e.Team, string(domain.DeploymentPending), target, e.DNSNames, e.CAID, e.Profile,
			e.RedeployOf, e.RequestedBy, e.RequestedAt.UTC(), pos)
		return err
	case domain.DeploymentIssued:
		return update(ctx, tx, "deployments", e.DeploymentID, `status = $2, certificate_id = $3, fingerprint = $4, position = $5`,
			string(domain.DeploymentCertified), e.CertificateID, e.Fingerprint, pos)
	case domain.DeploymentSucceeded:
		return update(ctx, tx, "deployments", e.DeploymentID, `status = $2, served_fingerprint = $3, ended_at = $4, position = $5`,
			string(domain.DeploymentDone), e.ServedFingerprint, e.SucceededAt.UTC(), pos)
	case domain.DeploymentFailed:
		return update(ctx, tx, "deployments", e.DeploymentID, `status = $2, reason = $3, rolled_back = $4, ended_at = $5, position = $6`,
			string(domain.DeploymentAborted), e.Reason, e.RolledBack, e.FailedAt.UTC(), pos)
	}
	return nil
}

// update sets columns of the row id of table ($1 is the id); a row the table lacks is an error.
func update(ctx context.Context, tx pgx.Tx, table, id, set string, args ...any) error {
	tag, err := tx.Exec(ctx, "UPDATE "+table+" SET "+set+" WHERE id = $1", append([]any{id}, args...)...)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("%s row %s does not exist in the read model", table, id)
	}
	return nil
}
