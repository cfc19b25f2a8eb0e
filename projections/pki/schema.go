package pki

import (
	"fmt"

	"github.com/certledger/certledger/domain/codec"
	"github.com/certledger/certledger/events"
)

// Name is the projection's name; its tables live in the schema rm_pki.
const Name = "pki"

// Schema is the schema the projection's tables live in, for queries from outside.
const Schema = "rm_" + Name

// Projection builds the PKI read model. It implements projections.BatchProjection.
type Projection struct {
	registry *events.Registry
}

// New returns the projection, with a registry of every domain event type at its current
// schema version.
func New() (*Projection, error) {
	r, err := codec.NewRegistry()
	if err != nil {
		return nil, fmt.Errorf("pki projection: %w", err)
	}
	return &Projection{registry: r}, nil
}

// Name returns "pki".
func (*Projection) Name() string { return Name }

// Schema returns the DDL of the read model's tables and indexes. It names no schema.
//
// Certificates carry one index per inventory filter, each ending in id so that a filter and
// the keyset order come from one index range: (status, id), (team, id), (team, status, id),
// (ca_id, id), (not_after, id). (ca_id, serial) is unique for issued certificates and answers
// OCSP; the GIN index on sans answers exact SAN look-ups (sans @> ARRAY[name]).
func (*Projection) Schema() string {
	return `
CREATE TABLE IF NOT EXISTS cas (
	id uuid PRIMARY KEY,
	name text NOT NULL,
	common_name text NOT NULL,
	key_type text NOT NULL,
	key_label text NOT NULL,
	parent_id uuid,
	status text NOT NULL,
	serial text COLLATE "C" NOT NULL,
	not_before timestamptz NOT NULL,
	not_after timestamptz NOT NULL,
	certificate_der bytea NOT NULL,
	responder_serial text COLLATE "C",
	responder_der bytea,
	responder_key_label text,
	responder_not_after timestamptz,
	created_at timestamptz NOT NULL,
	revoked_at timestamptz,
	revocation_reason int,
	crl_partitions int NOT NULL DEFAULT 0,
	crl_url text NOT NULL DEFAULT '',
	position bigint NOT NULL);
ALTER TABLE cas ADD COLUMN IF NOT EXISTS crl_partitions int NOT NULL DEFAULT 0;
ALTER TABLE cas ADD COLUMN IF NOT EXISTS crl_url text NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS cas_parent_serial ON cas (parent_id, serial);

CREATE TABLE IF NOT EXISTS profiles (
	id uuid PRIMARY KEY,
	name text NOT NULL UNIQUE,
	team text NOT NULL,
	spec jsonb NOT NULL,
	version int NOT NULL,
	updated_at timestamptz NOT NULL);

CREATE TABLE IF NOT EXISTS certificates (
	id uuid PRIMARY KEY,
	ca_id uuid NOT NULL,
	serial text COLLATE "C",
	subject_cn text NOT NULL,
	sans text[] NOT NULL,
	dns_names text[] NOT NULL,
	key_type text NOT NULL,
	key_bits int NOT NULL,
	signature_algorithm text,
	not_before timestamptz,
	not_after timestamptz,
	status text NOT NULL,
	profile text NOT NULL,
	team text NOT NULL,
	owner text NOT NULL,
	requested_by text NOT NULL,
	fingerprint_sha256 text,
	pem text,
	renews uuid,
	superseded_by uuid,
	requested_at timestamptz NOT NULL,
	issued_at timestamptz,
	revoked_at timestamptz,
	revocation_reason int,
	invalidity_date timestamptz,
	updated_at timestamptz NOT NULL,
	position bigint NOT NULL);
CREATE INDEX IF NOT EXISTS certificates_status_id ON certificates (status, id);
CREATE INDEX IF NOT EXISTS certificates_team_id ON certificates (team, id);
CREATE INDEX IF NOT EXISTS certificates_team_status_id ON certificates (team, status, id);
CREATE INDEX IF NOT EXISTS certificates_ca_id ON certificates (ca_id, id);
CREATE INDEX IF NOT EXISTS certificates_not_after_id ON certificates (not_after, id);
CREATE TABLE IF NOT EXISTS expiry_warnings (
	certificate_id uuid NOT NULL,
	days_before integer NOT NULL,
	warned_at timestamptz NOT NULL,
	position bigint NOT NULL,
	PRIMARY KEY (certificate_id, days_before));
CREATE INDEX IF NOT EXISTS certificates_position ON certificates (position);
CREATE UNIQUE INDEX IF NOT EXISTS certificates_ca_serial ON certificates (ca_id, serial) WHERE serial IS NOT NULL;
CREATE INDEX IF NOT EXISTS certificates_sans ON certificates USING gin (sans);
CREATE INDEX IF NOT EXISTS certificates_fingerprint ON certificates (fingerprint_sha256) WHERE fingerprint_sha256 IS NOT NULL;
CREATE INDEX IF NOT EXISTS certificates_serial ON certificates (serial) WHERE serial IS NOT NULL;

CREATE TABLE IF NOT EXISTS revocations (
	ca_id uuid NOT NULL,
	serial text COLLATE "C" NOT NULL,
	revoked_at timestamptz NOT NULL,
	reason int NOT NULL,
	invalidity_date timestamptz,
	position bigint NOT NULL,
	ca_certificate boolean NOT NULL DEFAULT false,
	PRIMARY KEY (ca_id, serial));
-- Read models created before ca_certificate existed gain it; rebuild them to fill it.
ALTER TABLE revocations ADD COLUMN IF NOT EXISTS ca_certificate boolean NOT NULL DEFAULT false;
CREATE INDEX IF NOT EXISTS revocations_position ON revocations (position);
CREATE INDEX IF NOT EXISTS revocations_ca_position ON revocations (ca_id, position);
` + intentsDDL
}
