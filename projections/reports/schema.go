package reports

import (
	"fmt"

	"github.com/certledger/certledger/domain/codec"
	"github.com/certledger/certledger/events"
)

// Name is the projection's name; its tables live in the schema rm_reports.
const Name = "reports"

// Schema is the schema the projection's tables live in, for queries from outside.
const Schema = "rm_" + Name

// Projection builds the report read model. It implements projections.BatchProjection.
type Projection struct {
	registry *events.Registry
}

// New returns the projection, with a registry of every domain event type.
func New() (*Projection, error) {
	r, err := codec.NewRegistry()
	if err != nil {
		return nil, fmt.Errorf("reports projection: %w", err)
	}
	return &Projection{registry: r}, nil
}

// Name returns "reports".
func (*Projection) Name() string { return Name }

// Schema returns the DDL of the report tables. It names no schema.
//
// The aggregate tables' primary keys start with the columns the queries group or filter by;
// expiry_days also has (dim, day), since the expiry report reads it for a range of days only and
// expiry_months (the same counts by month) for the rest.
func (*Projection) Schema() string {
	return `
CREATE TABLE IF NOT EXISTS certs (
	id uuid PRIMARY KEY,
	team text NOT NULL,
	ca_id uuid NOT NULL,
	profile text NOT NULL,
	owner text NOT NULL,
	key_type text NOT NULL,
	key_bits int NOT NULL,
	signature_algorithm text NOT NULL,
	status text NOT NULL,
	server boolean NOT NULL,
	wildcard boolean NOT NULL,
	not_before timestamptz,
	not_after timestamptz,
	requested_at timestamptz NOT NULL,
	issued_at timestamptz,
	findings int NOT NULL);
CREATE INDEX IF NOT EXISTS certs_profile ON certs (profile);
CREATE INDEX IF NOT EXISTS certs_findings ON certs (team, id) WHERE findings <> 0;

CREATE TABLE IF NOT EXISTS profiles (
	id uuid PRIMARY KEY,
	name text NOT NULL UNIQUE,
	max_validity_days int NOT NULL,
	allow_wildcards boolean NOT NULL);

CREATE TABLE IF NOT EXISTS cas (
	id uuid PRIMARY KEY,
	name text NOT NULL);

CREATE TABLE IF NOT EXISTS expiry_days (
	dim text NOT NULL, team text NOT NULL, value text NOT NULL, day date NOT NULL, n bigint NOT NULL,
	PRIMARY KEY (dim, team, value, day));
CREATE INDEX IF NOT EXISTS expiry_days_by_day ON expiry_days (dim, day) INCLUDE (team, value, n);
CREATE TABLE IF NOT EXISTS expiry_months (
	dim text NOT NULL, team text NOT NULL, value text NOT NULL, day date NOT NULL, n bigint NOT NULL,
	PRIMARY KEY (dim, team, value, day));
CREATE TABLE IF NOT EXISTS compliance_counts (
	team text NOT NULL, ca_id text NOT NULL, profile text NOT NULL, rule text NOT NULL, n bigint NOT NULL,
	PRIMARY KEY (team, ca_id, profile, rule));
CREATE TABLE IF NOT EXISTS pending_days (
	team text NOT NULL, ca_id text NOT NULL, profile text NOT NULL, day date NOT NULL, n bigint NOT NULL,
	PRIMARY KEY (team, ca_id, profile, day));
CREATE TABLE IF NOT EXISTS issued_months (
	team text NOT NULL, ca_id text NOT NULL, profile text NOT NULL, day date NOT NULL, n bigint NOT NULL,
	PRIMARY KEY (team, ca_id, profile, day));
CREATE TABLE IF NOT EXISTS renewal_months (
	team text NOT NULL, ca_id text NOT NULL, profile text NOT NULL, day date NOT NULL, n bigint NOT NULL,
	PRIMARY KEY (team, ca_id, profile, day));
`
}
