package signing

import (
	"context"
	"encoding/hex"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/codec"
	"github.com/certledger/certledger/events"
)

// Name is the projection's name; its table lives in the schema rm_signing.
const Name = "signing"

// Projection builds the code-signing read model. It implements projections.Projection.
type Projection struct {
	registry *events.Registry
}

// New returns the projection, decoding the signature request events at their current schema
// version.
func New() *Projection {
	r, err := codec.NewRegistry(domain.TypeSignatureRequested, domain.TypeSignatureApproved, domain.TypeArtifactSigned,
		domain.TypeSignatureRefused, domain.TypeSignatureVoided)
	if err != nil {
		// Distinct domain event types cannot fail to register.
		panic(fmt.Sprintf("signing projection: %v", err))
	}
	return &Projection{registry: r}
}

// Name returns "signing".
func (*Projection) Name() string { return Name }

// Schema returns the DDL of the read model's table and its index, which answers the pending
// list oldest first, for every key or one.
func (*Projection) Schema() string {
	return `
CREATE TABLE IF NOT EXISTS signature_requests (
	id uuid PRIMARY KEY,
	key_id uuid NOT NULL,
	team text NOT NULL,
	kind text NOT NULL,
	artifact text NOT NULL,
	digest_algorithm text NOT NULL,
	digest text NOT NULL,
	requested_by text NOT NULL,
	requested_at timestamptz NOT NULL,
	approvals_required int NOT NULL,
	approvers text[] NOT NULL,
	status text NOT NULL,
	position bigint NOT NULL);
CREATE INDEX IF NOT EXISTS signature_requests_pending ON signature_requests (requested_at, id) WHERE status = 'pending_approval';
`
}

// Apply applies one event inside tx, whose search_path is rm_signing. The runner names the
// event in the error it returns.
func (p *Projection) Apply(ctx context.Context, tx pgx.Tx, env events.Envelope) error {
	if _, known := p.registry.Version(env.Type); !known {
		return nil
	}
	v, err := codec.Decode(p.registry, env)
	if err != nil {
		return err
	}
	pos := int64(env.Position)
	switch e := v.(type) {
	case domain.SignatureRequested:
		id, err := uuid.Parse(e.RequestID)
		if err != nil {
			return fmt.Errorf("request id: %w", err)
		}
		key, err := uuid.Parse(e.KeyID)
		if err != nil {
			return fmt.Errorf("key id: %w", err)
		}
		kind := string(e.Kind)
		if e.Kind == domain.SignatureKindCMS {
			kind = "cms"
		}
		_, err = tx.Exec(ctx, `INSERT INTO signature_requests (id, key_id, team, kind, artifact, digest_algorithm, digest,
			requested_by, requested_at, approvals_required, approvers, status, position)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '{}', $11, $12)`,
			id, key, e.Team, kind, e.Artifact, string(e.DigestAlgorithm), hex.EncodeToString(e.Digest), e.RequestedBy,
			e.RequestedAt.UTC(), e.ApprovalsRequired, string(domain.SignatureStatusPending), pos)
		return err
	case domain.SignatureApproved:
		return update(ctx, tx, e.RequestID, `approvers = array_append(approvers, $3)`, pos, e.ApprovedBy)
	case domain.ArtifactSigned:
		return update(ctx, tx, e.RequestID, `status = $3`, pos, string(domain.SignatureStatusSigned))
	case domain.SignatureRefused:
		return update(ctx, tx, e.RequestID, `status = $3`, pos, string(domain.SignatureStatusRefused))
	case domain.SignatureVoided:
		if e.Purpose != domain.PurposeArtifact {
			return nil
		}
		return update(ctx, tx, e.Subject, `status = $3`, pos, string(domain.SignatureStatusVoided))
	}
	return nil
}

// update sets a pending request's columns; a request the table does not have pending is an
// error.
func update(ctx context.Context, tx pgx.Tx, requestID, set string, pos int64, arg any) error {
	id, err := uuid.Parse(requestID)
	if err != nil {
		return fmt.Errorf("request id: %w", err)
	}
	tag, err := tx.Exec(ctx, `UPDATE signature_requests SET `+set+`, position = $2
		WHERE id = $1 AND status = 'pending_approval'`, id, pos, arg)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("signature request %s is not pending in the read model", id)
	}
	return nil
}
