package discovery

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/codec"
	"github.com/certledger/certledger/events"
)

// Apply applies one event inside tx, whose search_path is rm_discovery. Events other than the
// discovery events are skipped.
func (p *Projection) Apply(ctx context.Context, tx pgx.Tx, env events.Envelope) error {
	if _, known := p.registry.Version(env.Type); !known {
		return nil
	}
	v, err := codec.Decode(p.registry, env)
	if err == nil {
		err = apply(ctx, tx, v, env)
	}
	if err != nil {
		return fmt.Errorf("discovery: %s event %s@%d (position %d): %w", env.Type, env.Stream, env.Revision, env.Position, err)
	}
	return nil
}

func apply(ctx context.Context, tx pgx.Tx, v domain.Event, env events.Envelope) error {
	pos, at := int64(env.Position), env.Metadata.OccurredAt.UTC()
	switch e := v.(type) {
	case domain.CertificateDiscovered:
		return insertCertificate(ctx, tx, e, pos)
	case domain.DiscoveryLocationsChanged:
		for _, c := range e.Changes {
			if err := changeLocation(ctx, tx, e.ScopeID, c, at, pos); err != nil {
				return fmt.Errorf("location %s: %w", c.Location.Key(), err)
			}
		}
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

// insertCertificate adds a discovered certificate with the findings it raises by itself.
func insertCertificate(ctx context.Context, tx pgx.Tx, e domain.CertificateDiscovered, pos int64) error {
	c, err := x509.ParseCertificate(e.CertificateDER)
	if err != nil {
		return fmt.Errorf("certificate %s does not parse: %w", e.Fingerprint, err)
	}
	if got := domain.Fingerprint(e.CertificateDER); got != e.Fingerprint {
		return fmt.Errorf("certificate %s has the fingerprint %s", e.Fingerprint, got)
	}
	dns := c.DNSNames
	if dns == nil {
		dns = []string{}
	}
	_, err = tx.Exec(ctx, `INSERT INTO certificates (fingerprint, subject, issuer, serial, not_before, not_after, key_type,
		signature_algorithm, dns_names, weak_key, sha1_signature, self_signed, scope, discovered_at, der, position)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		e.Fingerprint, c.Subject.String(), c.Issuer.String(), c.SerialNumber.Text(16), c.NotBefore.UTC(), c.NotAfter.UTC(),
		string(domain.KeyTypeOf(c.PublicKey)), c.SignatureAlgorithm.String(), dns, domain.WeakKey(c),
		domain.WeakSignature(c), domain.SelfSigned(c), e.Scope, e.DiscoveredAt.UTC(), e.CertificateDER, pos)
	return err
}

// changeLocation applies one location change: a removal, or what the location shows now.
func changeLocation(ctx context.Context, tx pgx.Tx, scopeID string, c domain.LocationChange, at time.Time, pos int64) error {
	if c.Outcome == domain.OutcomeAbsent {
		_, err := tx.Exec(ctx, `DELETE FROM locations WHERE scope_id = $1 AND location_key = $2`, scopeID, c.Location.Key())
		return err
	}
	var fingerprint *string
	mismatch := false
	if c.Fingerprint != "" {
		fingerprint = &c.Fingerprint
		var der []byte
		if err := tx.QueryRow(ctx, `SELECT der FROM certificates WHERE fingerprint = $1`, c.Fingerprint).Scan(&der); err != nil {
			return fmt.Errorf("the certificate %s it shows is not in the read model: %w", c.Fingerprint, err)
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return err
		}
		mismatch = c.Location.Kind == domain.LocationNetwork && domain.HostnameMismatch(cert, c.Location.ServerName)
	}
	l := c.Location
	_, err := tx.Exec(ctx, `INSERT INTO locations (scope_id, location_key, kind, address, server_name, host, path, fingerprint,
		outcome, tls_version, cipher_suite, chain_incomplete, hostname_mismatch, changed_at, last_seen, position)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15)
		ON CONFLICT (scope_id, location_key) DO UPDATE SET fingerprint = $8, outcome = $9, tls_version = $10,
		cipher_suite = $11, chain_incomplete = $12, hostname_mismatch = $13, changed_at = $14, last_seen = $14, position = $15`,
		scopeID, l.Key(), l.Kind, l.Address, l.ServerName, l.Host, l.Path, fingerprint, c.Outcome, c.TLSVersion,
		c.CipherSuite, c.ChainIncomplete, mismatch, at, pos)
	return err
}
