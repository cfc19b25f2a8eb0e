package fleet

import (
	"fmt"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/codec"
	"github.com/certledger/certledger/events"
)

// Name is the projection's name; its tables live in the schema rm_fleet.
const Name = "fleet"

// Projection builds the fleet read model. It implements projections.Projection.
type Projection struct{ registry *events.Registry }

// New returns the projection, decoding the agent and deployment events.
func New() *Projection {
	r, err := codec.NewRegistry(domain.TypeAgentJoinTokenIssued, domain.TypeAgentEnrolled, domain.TypeAgentHeartbeat,
		domain.TypeAgentRevoked, domain.TypeDeploymentRequested, domain.TypeDeploymentIssued, domain.TypeDeploymentSucceeded,
		domain.TypeDeploymentFailed)
	if err != nil {
		panic(fmt.Sprintf("fleet projection: %v", err)) // distinct domain types cannot fail to register
	}
	return &Projection{registry: r}
}

// Name returns "fleet".
func (*Projection) Name() string { return Name }

// Schema returns the DDL of the read model's tables and indexes; it names no schema. The
// indexes answer the lists newest first, the certificate lookup of the TLS listener, and the
// agents' task polls by position.
func (*Projection) Schema() string {
	return `
CREATE TABLE IF NOT EXISTS agents (
	id uuid PRIMARY KEY,
	name text NOT NULL,
	team text NOT NULL,
	status text NOT NULL,
	issued_by text NOT NULL,
	issued_at timestamptz NOT NULL,
	join_expires_at timestamptz NOT NULL,
	certificate_id uuid,
	fingerprint text NOT NULL DEFAULT '',
	host text NOT NULL DEFAULT '',
	version text NOT NULL DEFAULT '',
	state text NOT NULL DEFAULT '',
	enrolled_at timestamptz,
	last_seen timestamptz,
	revoked_at timestamptz,
	position bigint NOT NULL);
CREATE INDEX IF NOT EXISTS agents_team ON agents (team, issued_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS agents_issued_at ON agents (issued_at DESC, id DESC);
CREATE UNIQUE INDEX IF NOT EXISTS agents_certificate ON agents (certificate_id);
CREATE TABLE IF NOT EXISTS deployments (
	id uuid PRIMARY KEY,
	agent_id uuid NOT NULL,
	team text NOT NULL,
	status text NOT NULL,
	target jsonb NOT NULL,
	dns_names text[] NOT NULL,
	ca_id text NOT NULL,
	profile text NOT NULL,
	redeploy_of text NOT NULL,
	requested_by text NOT NULL,
	requested_at timestamptz NOT NULL,
	certificate_id uuid,
	fingerprint text NOT NULL DEFAULT '',
	served_fingerprint text NOT NULL DEFAULT '',
	reason text NOT NULL DEFAULT '',
	rolled_back boolean NOT NULL DEFAULT false,
	ended_at timestamptz,
	position bigint NOT NULL);
CREATE INDEX IF NOT EXISTS deployments_agent ON deployments (agent_id, position);
CREATE INDEX IF NOT EXISTS deployments_position ON deployments (position);
CREATE INDEX IF NOT EXISTS deployments_requested ON deployments (requested_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS deployments_team ON deployments (team, requested_at DESC, id DESC);
`
}
