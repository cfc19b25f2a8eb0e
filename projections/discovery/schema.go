package discovery

import (
	"fmt"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/codec"
	"github.com/certledger/certledger/events"
)

// Name is the projection's name; its tables live in the schema rm_discovery.
const Name = "discovery"

// Projection builds the discovery read model. It implements projections.Projection.
type Projection struct {
	registry *events.Registry
}

// New returns the projection, decoding the discovery events.
func New() *Projection {
	r, err := codec.NewRegistry(domain.TypeCertificateDiscovered, domain.TypeDiscoveryLocationsChanged,
		domain.TypeDiscoveryScanRecorded, domain.TypeCertificateAdopted)
	if err != nil {
		// Four distinct domain event types cannot fail to register.
		panic(fmt.Sprintf("discovery projection: %v", err))
	}
	return &Projection{registry: r}
}

// Name returns "discovery".
func (*Projection) Name() string { return Name }

// Schema returns the DDL of the read model's tables. It names no schema.
func (*Projection) Schema() string {
	return `
CREATE TABLE IF NOT EXISTS certificates (
	fingerprint text COLLATE "C" PRIMARY KEY,
	subject text NOT NULL,
	issuer text NOT NULL,
	serial text NOT NULL,
	not_before timestamptz NOT NULL,
	not_after timestamptz NOT NULL,
	key_type text NOT NULL,
	signature_algorithm text NOT NULL,
	dns_names text[] NOT NULL,
	weak_key boolean NOT NULL,
	sha1_signature boolean NOT NULL,
	self_signed boolean NOT NULL,
	scope text NOT NULL,
	discovered_at timestamptz NOT NULL,
	der bytea NOT NULL,
	position bigint NOT NULL);
-- The chain found with the certificate (leaf excluded), for the known-external check, and
-- its adoption; read models made before they existed gain them (rebuild to fill chain_der).
ALTER TABLE certificates ADD COLUMN IF NOT EXISTS chain_der bytea[] NOT NULL DEFAULT '{}';
ALTER TABLE certificates ADD COLUMN IF NOT EXISTS adopted_team text;
ALTER TABLE certificates ADD COLUMN IF NOT EXISTS adopted_owner text;
ALTER TABLE certificates ADD COLUMN IF NOT EXISTS adopted_profile text;
ALTER TABLE certificates ADD COLUMN IF NOT EXISTS adopted_at timestamptz;
CREATE TABLE IF NOT EXISTS scopes (
	scope_id uuid PRIMARY KEY,
	name text NOT NULL,
	last_scan_id uuid NOT NULL,
	source text NOT NULL,
	started_at timestamptz NOT NULL,
	finished_at timestamptz NOT NULL,
	locations integer NOT NULL,
	changed integer NOT NULL,
	outcomes jsonb NOT NULL,
	scans bigint NOT NULL,
	position bigint NOT NULL);
CREATE TABLE IF NOT EXISTS locations (
	scope_id uuid NOT NULL,
	location_key text COLLATE "C" NOT NULL,
	kind text NOT NULL,
	address text NOT NULL,
	server_name text NOT NULL,
	host text NOT NULL,
	path text NOT NULL,
	fingerprint text COLLATE "C",
	outcome text NOT NULL,
	tls_version text NOT NULL,
	cipher_suite text NOT NULL,
	chain_incomplete boolean NOT NULL,
	hostname_mismatch boolean NOT NULL,
	changed_at timestamptz NOT NULL,
	last_seen timestamptz NOT NULL,
	position bigint NOT NULL,
	PRIMARY KEY (scope_id, location_key));
CREATE INDEX IF NOT EXISTS locations_fingerprint ON locations (fingerprint) WHERE fingerprint IS NOT NULL;
`
}
