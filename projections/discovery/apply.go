package discovery

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/codec"
	"github.com/certledger/certledger/events"
)

// Apply applies one event inside tx, whose search_path is rm_discovery; it is ApplyBatch of
// that event alone.
func (p *Projection) Apply(ctx context.Context, tx pgx.Tx, env events.Envelope) error {
	return p.ApplyBatch(ctx, tx, []events.Envelope{env})
}

// ApplyBatch applies a batch in a few statements: every certificate of the batch in one
// INSERT (a location may only name a certificate recorded before it, so inserting them first
// changes nothing a later event sees), then each part of changes as one upsert and one delete,
// and each scan's summary, in event order. Events other than the discovery events are skipped.
func (p *Projection) ApplyBatch(ctx context.Context, tx pgx.Tx, batch []events.Envelope) error {
	var certs certificateRows
	var rest []decoded
	for _, env := range batch {
		if _, known := p.registry.Version(env.Type); !known {
			continue
		}
		v, err := codec.Decode(p.registry, env)
		if err != nil {
			return fmt.Errorf("discovery: %s event %s@%d (position %d): %w", env.Type, env.Stream, env.Revision, env.Position, err)
		}
		if e, ok := v.(domain.CertificateDiscovered); ok {
			if err := certs.add(e, int64(env.Position)); err != nil {
				return fmt.Errorf("discovery: %s@%d (position %d): %w", env.Stream, env.Revision, env.Position, err)
			}
			continue
		}
		rest = append(rest, decoded{event: v, env: env})
	}
	if err := certs.insert(ctx, tx); err != nil {
		return fmt.Errorf("discovery: insert %d certificates: %w", len(certs.fingerprint), err)
	}
	leaves := leafCache{batch: certs.parsed, tx: tx}
	for _, d := range rest {
		if err := applyScopeEvent(ctx, tx, d, &leaves); err != nil {
			return fmt.Errorf("discovery: %s event %s@%d (position %d): %w", d.env.Type, d.env.Stream, d.env.Revision, d.env.Position, err)
		}
	}
	return nil
}

// decoded is a scope event with its envelope.
type decoded struct {
	event domain.Event
	env   events.Envelope
}

// applyScopeEvent applies a part of a scan's changes or its summary.
func applyScopeEvent(ctx context.Context, tx pgx.Tx, d decoded, leaves *leafCache) error {
	pos, at := int64(d.env.Position), d.env.Metadata.OccurredAt.UTC()
	switch e := d.event.(type) {
	case domain.CertificateAdopted:
		ct, err := tx.Exec(ctx, `UPDATE certificates SET adopted_team = $2, adopted_owner = $3, adopted_profile = $4,
			adopted_at = $5 WHERE fingerprint = $1`, e.Fingerprint, e.Team, e.Owner, e.ProfileName, e.AdoptedAt.UTC())
		if err == nil && ct.RowsAffected() != 1 {
			err = fmt.Errorf("adopted certificate %s is not in the read model", e.Fingerprint)
		}
		return err
	case domain.DiscoveryLocationsChanged:
		return changeLocations(ctx, tx, e, leaves, at, pos)
	case domain.DiscoveryScanRecorded:
		outcomes, err := json.Marshal(e.Outcomes)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO scopes (scope_id, name, last_scan_id, source, started_at, finished_at,
			locations, changed, outcomes, scans, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10)
			ON CONFLICT (scope_id) DO UPDATE SET last_scan_id = $3, source = $4, started_at = $5, finished_at = $6,
			locations = $7, changed = $8, outcomes = $9, scans = scopes.scans + 1, position = $10`,
			e.ScopeID, e.Scope, e.ScanID, e.Source, e.StartedAt.UTC(), e.FinishedAt.UTC(), e.Locations, e.Changed, outcomes, pos); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE locations SET last_seen = $2 WHERE scope_id = $1`, e.ScopeID, e.FinishedAt.UTC())
		return err
	}
	return nil
}

// leafCache finds the certificates locations show: those of the batch, then the table's.
type leafCache struct {
	batch map[string]*x509.Certificate
	tx    pgx.Tx
}

// lookup returns the certificates with the fingerprints, reading those not in the batch in
// one query; a fingerprint the read model does not have is an error.
func (c *leafCache) lookup(ctx context.Context, fingerprints []string) (map[string]*x509.Certificate, error) {
	out, missing := map[string]*x509.Certificate{}, []string{}
	for _, fp := range fingerprints {
		if cert, ok := c.batch[fp]; ok {
			out[fp] = cert
		} else {
			missing = append(missing, fp)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	rows, _ := c.tx.Query(ctx, `SELECT fingerprint, der FROM certificates WHERE fingerprint = ANY($1)`, missing)
	var fp string
	var der []byte
	_, err := pgx.ForEachRow(rows, []any{&fp, &der}, func() error {
		cert, err := x509.ParseCertificate(der)
		out[fp] = cert
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, fp := range missing {
		if out[fp] == nil {
			return nil, fmt.Errorf("a location shows the certificate %s, which the read model does not have", fp)
		}
	}
	return out, nil
}
