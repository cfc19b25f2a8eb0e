package discovery

import (
	"context"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/certledger/certledger/domain"
)

// certificateRows are the certificates of a batch, as columns.
type certificateRows struct {
	fingerprint, subject, issuer, serial, keyType, sigAlg, scope []string
	notBefore, notAfter, discoveredAt                            []time.Time
	dnsNames                                                     [][]string
	weakKey, sha1, selfSigned                                    []bool
	der                                                          [][]byte
	chain                                                        [][][]byte
	position                                                     []int64
	parsed                                                       map[string]*x509.Certificate
}

// add parses one discovered certificate into the rows.
func (r *certificateRows) add(e domain.CertificateDiscovered, pos int64) error {
	c, err := x509.ParseCertificate(e.CertificateDER)
	if err != nil {
		return fmt.Errorf("certificate %s does not parse: %w", e.Fingerprint, err)
	}
	if got := domain.Fingerprint(e.CertificateDER); got != e.Fingerprint {
		return fmt.Errorf("certificate %s has the fingerprint %s", e.Fingerprint, got)
	}
	if r.parsed == nil {
		r.parsed = map[string]*x509.Certificate{}
	}
	r.parsed[e.Fingerprint] = c
	dns := c.DNSNames
	if dns == nil {
		dns = []string{}
	}
	r.fingerprint, r.subject, r.issuer = append(r.fingerprint, e.Fingerprint), append(r.subject, c.Subject.String()), append(r.issuer, c.Issuer.String())
	r.serial, r.keyType = append(r.serial, c.SerialNumber.Text(16)), append(r.keyType, string(domain.KeyTypeOf(c.PublicKey)))
	r.sigAlg, r.scope = append(r.sigAlg, c.SignatureAlgorithm.String()), append(r.scope, e.Scope)
	r.notBefore, r.notAfter, r.discoveredAt = append(r.notBefore, c.NotBefore.UTC()), append(r.notAfter, c.NotAfter.UTC()), append(r.discoveredAt, e.DiscoveredAt.UTC())
	r.dnsNames, r.der, r.position = append(r.dnsNames, dns), append(r.der, e.CertificateDER), append(r.position, pos)
	r.chain = append(r.chain, append([][]byte{}, e.ChainDER...))
	r.weakKey, r.sha1, r.selfSigned = append(r.weakKey, domain.WeakKey(c)), append(r.sha1, domain.WeakSignature(c)), append(r.selfSigned, domain.SelfSigned(c))
	return nil
}

// insert writes the rows with COPY: one round trip however many there are. A certificate
// discovered twice is an error, since its stream holds one CertificateDiscovered.
func (r *certificateRows) insert(ctx context.Context, tx pgx.Tx) error {
	if len(r.fingerprint) == 0 {
		return nil
	}
	columns := []string{"fingerprint", "subject", "issuer", "serial", "not_before", "not_after", "key_type",
		"signature_algorithm", "dns_names", "weak_key", "sha1_signature", "self_signed", "scope", "discovered_at", "der", "position", "chain_der"}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"certificates"}, columns, pgx.CopyFromSlice(len(r.fingerprint), func(i int) ([]any, error) {
		return []any{r.fingerprint[i], r.subject[i], r.issuer[i], r.serial[i], r.notBefore[i], r.notAfter[i], r.keyType[i],
			r.sigAlg[i], r.dnsNames[i], r.weakKey[i], r.sha1[i], r.selfSigned[i], r.scope[i], r.discoveredAt[i], r.der[i], r.position[i], r.chain[i]}, nil
	}))
	return err
}

// changeLocations applies a part of a scan's changes: one DELETE of the locations gone and one
// upsert of the others.
func changeLocations(ctx context.Context, tx pgx.Tx, e domain.DiscoveryLocationsChanged, leaves *leafCache, at time.Time, pos int64) error {
	var shown []string
	for _, c := range e.Changes {
		if c.Fingerprint != "" {
			shown = append(shown, c.Fingerprint)
		}
	}
	certs, err := leaves.lookup(ctx, shown)
	if err != nil {
		return err
	}
	var gone, keys, kinds, addrs, names, hosts, paths, outcomes, versions, suites []string
	var fps []*string
	var incomplete, mismatch []bool
	for _, c := range e.Changes {
		l := c.Location
		if c.Outcome == domain.OutcomeAbsent {
			gone = append(gone, l.Key())
			continue
		}
		var fp *string
		if c.Fingerprint != "" {
			fp = &c.Fingerprint
		}
		keys, kinds, addrs, names = append(keys, l.Key()), append(kinds, l.Kind), append(addrs, l.Address), append(names, l.ServerName)
		hosts, paths, fps, outcomes = append(hosts, l.Host), append(paths, l.Path), append(fps, fp), append(outcomes, c.Outcome)
		versions, suites, incomplete = append(versions, c.TLSVersion), append(suites, c.CipherSuite), append(incomplete, c.ChainIncomplete)
		mismatch = append(mismatch, fp != nil && l.Kind == domain.LocationNetwork && domain.HostnameMismatch(certs[c.Fingerprint], l.ServerName))
	}
	if len(gone) > 0 {
		if _, err := tx.Exec(ctx, `DELETE FROM locations WHERE scope_id = $1 AND location_key = ANY($2)`, e.ScopeID, gone); err != nil {
			return err
		}
	}
	if len(keys) == 0 {
		return nil
	}
	_, err = tx.Exec(ctx, `INSERT INTO locations (scope_id, location_key, kind, address, server_name, host, path, fingerprint,
		outcome, tls_version, cipher_suite, chain_incomplete, hostname_mismatch, changed_at, last_seen, position)
		SELECT $1, k, kind, a, n, h, p, f, o, v, s, ci, hm, $13, $13, $14
		FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
			$10::text[], $11::text[], $12::boolean[], $15::boolean[]) AS u(k, kind, a, n, h, p, f, o, v, s, ci, hm)
		ON CONFLICT (scope_id, location_key) DO UPDATE SET fingerprint = excluded.fingerprint, outcome = excluded.outcome,
			tls_version = excluded.tls_version, cipher_suite = excluded.cipher_suite, chain_incomplete = excluded.chain_incomplete,
			hostname_mismatch = excluded.hostname_mismatch, changed_at = excluded.changed_at, last_seen = excluded.last_seen,
			position = excluded.position`,
		e.ScopeID, keys, kinds, addrs, names, hosts, paths, fps, outcomes, versions, suites, incomplete, at, pos, mismatch)
	return err
}
