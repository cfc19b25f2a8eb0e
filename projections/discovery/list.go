package discovery

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/certledger/certledger/domain"
)

// ErrBadFilter says a filter or cursor is not one the queries know.
var ErrBadFilter = errors.New("not a discovery filter")

// listSelect is a discovered certificate with its inventory entry and its locations.
const listSelect = `SELECT d.fingerprint, d.subject, d.issuer, d.serial, d.not_before, d.not_after, d.key_type,
	d.signature_algorithm, d.dns_names, d.scope, d.weak_key, d.sha1_signature, d.self_signed,
	p.id IS NOT NULL, coalesce(p.status = 'revoked', false),
	count(l.location_key) FILTER (WHERE l.outcome = 'ok')::int,
	coalesce(bool_or(l.chain_incomplete), false), coalesce(bool_or(l.hostname_mismatch), false), max(l.last_seen),
	d.adopted_team, d.adopted_owner, d.adopted_profile, d.adopted_at, d.der, d.chain_der
FROM rm_discovery.certificates d
LEFT JOIN rm_pki.certificates p ON p.fingerprint_sha256 = d.fingerprint
LEFT JOIN rm_discovery.locations l ON l.fingerprint = d.fingerprint`

// findingWhere and findingHaving select the certificates that raise a finding: by the
// certificate's own columns, or by its locations.
var (
	findingWhere = map[string]string{
		domain.FindingExpired:       "d.not_after <= @at",
		domain.FindingExpiring:      "d.not_after > @at AND d.not_after <= @at + interval '30 days'",
		domain.FindingWeakKey:       "d.weak_key",
		domain.FindingSHA1Signature: "d.sha1_signature",
		domain.FindingSelfSigned:    "d.self_signed",
		domain.FindingRevokedServed: "p.status = 'revoked'",
	}
	findingHaving = map[string]string{
		domain.FindingChainIncomplete:  "bool_or(l.chain_incomplete)",
		domain.FindingHostnameMismatch: "bool_or(l.hostname_mismatch)",
		domain.FindingRevokedServed:    "count(l.location_key) FILTER (WHERE l.outcome = 'ok') > 0",
	}
)

// listSQL builds a page's query with named arguments (@at is the time findings are computed
// at).
func listSQL(f Filter, at time.Time, cursor string, limit int) (string, pgx.NamedArgs, error) {
	where, having := []string{"d.fingerprint > @cursor"}, []string{}
	args := pgx.NamedArgs{"at": at.UTC(), "cursor": cursor}
	switch f.Classification {
	case "":
	case Managed:
		where = append(where, "(p.id IS NOT NULL OR d.adopted_team IS NOT NULL)")
	case Shadow, KnownExternal: // told apart after the read (Queries.classify)
		where = append(where, "p.id IS NULL AND d.adopted_team IS NULL")
	default:
		return "", nil, fmt.Errorf("classification %q (want %s, %s or %s): %w", f.Classification, Managed, KnownExternal,
			Shadow, ErrBadFilter)
	}
	if f.Finding != "" {
		w, h := findingWhere[f.Finding], findingHaving[f.Finding]
		if w == "" && h == "" {
			return "", nil, fmt.Errorf("finding %q (want one of %s): %w", f.Finding, strings.Join(Findings(), ", "), ErrBadFilter)
		}
		if w != "" {
			where = append(where, w)
		}
		if h != "" {
			having = append(having, h)
		}
	}
	if f.Scope != "" {
		args["scope"] = f.Scope
		where = append(where, `EXISTS (SELECT 1 FROM rm_discovery.locations ls JOIN rm_discovery.scopes s
			USING (scope_id) WHERE ls.fingerprint = d.fingerprint AND s.name = @scope)`)
	}
	sql := listSelect + " WHERE " + strings.Join(where, " AND ") + " GROUP BY d.fingerprint, p.id, p.status"
	if len(having) > 0 {
		sql += " HAVING " + strings.Join(having, " AND ")
	}
	return sql + fmt.Sprintf(" ORDER BY d.fingerprint LIMIT %d", limit+1), args, nil
}

// Findings lists the findings a list can be filtered by.
func Findings() []string {
	var out []string
	for f := range findingWhere {
		out = append(out, f)
	}
	for f := range findingHaving {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out
}

func sortFindings(f []string) { slices.Sort(f) }
