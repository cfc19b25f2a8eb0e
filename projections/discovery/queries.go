package discovery

import (
	"context"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections"
)

// Classifications of a discovered certificate.
const (
	Managed       = "managed"        // the ledger issued it (the PKI inventory has it) or a SEC_OPS user adopted it
	KnownExternal = "known_external" // it chains to one of the configured ExternalCAs
	Shadow        = "shadow"         // nobody the ledger knows issued it
)

// CertificateRow is a discovered certificate, classified, with its findings as of a time.
type CertificateRow struct {
	Fingerprint, Subject, Issuer, Serial string
	NotBefore, NotAfter                  time.Time
	KeyType, SignatureAlgorithm          string
	DNSNames                             []string
	Scope                                string
	Classification                       string
	Findings                             []string
	// ServedAt is the number of locations showing it at their scope's latest scan; LastSeen
	// the latest of those scans, nil when no location shows it any more.
	ServedAt int
	LastSeen *time.Time
	// KnownExternalCA is the subject of the external CA a known_external certificate chains to.
	KnownExternalCA string
	// Adoption is set once a SEC_OPS user adopted the certificate.
	Adoption *Adoption
	der      []byte
	chain    [][]byte
}

// Adoption is who took a discovered certificate under management.
type Adoption struct {
	Team, Owner, Profile string
	AdoptedAt            time.Time
}

// Filter narrows a list of discovered certificates; empty fields match everything.
type Filter struct {
	Classification string // Managed, KnownExternal or Shadow
	Finding        string // one of the domain's Finding constants
	Scope          string
}

// Queries reads the discovery read model.
type Queries struct {
	pool     *pgxpool.Pool
	external *ExternalCAs
}

// NewQueries reads the discovery read model in pool.
func NewQueries(pool *pgxpool.Pool) *Queries { return &Queries{pool: pool} }

// WithExternalCAs returns queries that classify certificates chaining to one of cas as
// known_external; nil configures none.
func (q *Queries) WithExternalCAs(cas *ExternalCAs) *Queries {
	return &Queries{pool: q.pool, external: cas}
}

// MaxPageSize bounds a page of ListCertificates.
const MaxPageSize = 500

// ListCertificates returns the discovered certificates that match f as of at, by fingerprint,
// after the cursor (a fingerprint; "" for the first page), and the next page's cursor.
func (q *Queries) ListCertificates(ctx context.Context, f Filter, at time.Time, cursor string, limit int) ([]CertificateRow, string, error) {
	if limit <= 0 || limit > MaxPageSize {
		limit = MaxPageSize
	}
	if _, err := hex.DecodeString(cursor); err != nil || len(cursor) > 64 {
		return nil, "", fmt.Errorf("discovery cursor %q: %w", cursor, ErrBadFilter)
	}
	var items []CertificateRow
	for {
		sql, args, err := listSQL(f, at, cursor, limit)
		if err != nil {
			return nil, "", err
		}
		rows, _ := q.pool.Query(ctx, sql, args)
		page, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CertificateRow, error) { return scanRow(r, at) })
		if err != nil {
			return nil, "", fmt.Errorf("list discovered certificates: %w", projections.NotReady(err))
		}
		for _, c := range page {
			if q.classify(&c); f.Classification == "" || c.Classification == f.Classification {
				items = append(items, c)
			}
		}
		// Shadow and known_external are told apart here: read on until the page is full.
		if len(items) > limit || len(page) <= limit {
			break
		}
		cursor = page[len(page)-1].Fingerprint
	}
	if len(items) <= limit {
		return items, "", nil
	}
	return items[:limit], items[limit-1].Fingerprint, nil
}

// classify tells a certificate neither managed nor adopted known_external or shadow.
func (q *Queries) classify(c *CertificateRow) {
	if c.Classification != Shadow {
		return
	}
	if c.KnownExternalCA = q.external.anchor(c.Fingerprint, c.der, c.chain); c.KnownExternalCA != "" {
		c.Classification = KnownExternal
	}
}

func scanRow(r pgx.CollectableRow, at time.Time) (CertificateRow, error) {
	var c CertificateRow
	var weak, sha1, self, managed, revoked, incomplete, mismatch bool
	var team, owner, profile *string
	var adoptedAt *time.Time
	err := r.Scan(&c.Fingerprint, &c.Subject, &c.Issuer, &c.Serial, &c.NotBefore, &c.NotAfter, &c.KeyType,
		&c.SignatureAlgorithm, &c.DNSNames, &c.Scope, &weak, &sha1, &self, &managed, &revoked, &c.ServedAt,
		&incomplete, &mismatch, &c.LastSeen, &team, &owner, &profile, &adoptedAt, &c.der, &c.chain)
	if team != nil {
		c.Adoption = &Adoption{Team: *team, Owner: *owner, Profile: *profile, AdoptedAt: adoptedAt.UTC()}
	}
	c.Classification = map[bool]string{true: Managed, false: Shadow}[managed || team != nil]
	switch {
	case !at.Before(c.NotAfter):
		c.Findings = append(c.Findings, domain.FindingExpired)
	case c.NotAfter.Sub(at) <= domain.ExpiringWithin:
		c.Findings = append(c.Findings, domain.FindingExpiring)
	}
	for finding, raised := range map[string]bool{domain.FindingWeakKey: weak, domain.FindingSHA1Signature: sha1,
		domain.FindingSelfSigned: self, domain.FindingChainIncomplete: incomplete, domain.FindingHostnameMismatch: mismatch,
		domain.FindingRevokedServed: revoked && c.ServedAt > 0} {
		if raised {
			c.Findings = append(c.Findings, finding)
		}
	}
	sortFindings(c.Findings)
	return c, err
}
