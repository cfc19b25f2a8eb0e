package access

import (
	"fmt"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/codec"
	"github.com/certledger/certledger/events"
)

// Name is the projection's name; its table lives in the schema rm_access.
const Name = "access"

// Projection builds the access read model. It implements projections.Projection.
type Projection struct {
	registry *events.Registry
}

// New returns the projection, decoding the API token events at their current schema version.
func New() *Projection {
	r, err := codec.NewRegistry(domain.TypeAPITokenIssued, domain.TypeAPITokenRevoked)
	if err != nil {
		// Two distinct domain event types cannot fail to register.
		panic(fmt.Sprintf("access projection: %v", err))
	}
	return &Projection{registry: r}
}

// Name returns "access".
func (*Projection) Name() string { return Name }

// Schema returns the DDL of the read model's table and indexes. It names no schema. The
// indexes answer ListTokens, newest first, for everyone's tokens and for one issuer's.
func (*Projection) Schema() string {
	return `
CREATE TABLE IF NOT EXISTS api_tokens (
	id uuid PRIMARY KEY,
	description text NOT NULL,
	role text NOT NULL,
	team text NOT NULL,
	issued_by text NOT NULL,
	issued_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	revoked_at timestamptz,
	revoked_by text,
	position bigint NOT NULL);
CREATE INDEX IF NOT EXISTS api_tokens_issued_at ON api_tokens (issued_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS api_tokens_issued_by ON api_tokens (issued_by, issued_at DESC, id DESC);
`
}
