package reports

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
)

// certState is a row of certs: what the reports need of one certificate.
type certState struct {
	id                  uuid.UUID
	team                string
	caID                uuid.UUID
	profile, owner      string
	keyType             string
	keyBits             int32
	signatureAlgorithm  string
	status              string
	server, wildcard    bool
	notBefore, notAfter time.Time // zero until issued
	requestedAt         time.Time
	issuedAt            time.Time // zero until issued
	findings            Rules
}

// profileRules is what the compliance rules need of a profile.
type profileRules struct {
	name            string
	maxValidityDays int32
	allowWildcards  bool
}

// The aggregate tables, as aggKey.table.
const (
	tExpiry = iota
	tExpiryMonth
	tCompliance
	tPending
	tIssued
	tRenewal
	tableCount
)

// aggKey is one row of an aggregate table. For expiry_days, a is the dimension and b its
// value (also for expiry_months); for the others a is the CA id and b the profile, and c the rule of compliance_counts.
// day is days since 1970-01-01 (UTC), the first day of the month for the month tables.
type aggKey struct {
	table   int
	team    string
	a, b, c string
	day     int32
}

// The pseudo-rules of compliance_counts that count certificates rather than findings.
const (
	countCertificates = "certificates"  // every issued certificate
	countWithFindings = "with_findings" // issued certificates with at least one finding
)

// everyTeam prefixes the dimensions of expiry_days and expiry_months whose rows add up every
// team (team ”), so that a report of every team reads as few rows as one of a team; alone,
// with value ”, it is the total per day that the timeline of every team reads.
const everyTeam = "all:"

// Dimensions of expiry_days.
const (
	DimTeam    = "team"
	DimCA      = "ca"
	DimProfile = "profile"
	DimKeyType = "key_type"
)

// contributions calls add for every aggregate row the certificate counts in, once each.
func (s *certState) contributions(add func(aggKey)) {
	ca := s.caID.String()
	live := s.status == string(domain.StatusIssued)
	if (live || s.status == string(domain.StatusExpired)) && !s.notAfter.IsZero() {
		day := dayOf(s.notAfter)
		month := monthOf(s.notAfter)
		for _, dv := range [...][2]string{{DimTeam, s.team}, {DimCA, ca}, {DimProfile, s.profile}, {DimKeyType, s.keyType}} {
			for _, team := range [...][2]string{{"", s.team}, {everyTeam, ""}} {
				add(aggKey{table: tExpiry, team: team[1], a: team[0] + dv[0], b: dv[1], day: day})
				add(aggKey{table: tExpiryMonth, team: team[1], a: team[0] + dv[0], b: dv[1], day: month})
			}
		}
		add(aggKey{table: tExpiry, a: everyTeam, day: day}) // the timeline of every team
	}
	if live {
		add(aggKey{table: tCompliance, team: s.team, a: ca, b: s.profile, c: countCertificates})
		if s.findings != 0 {
			add(aggKey{table: tCompliance, team: s.team, a: ca, b: s.profile, c: countWithFindings})
		}
		for _, r := range s.findings.List() {
			add(aggKey{table: tCompliance, team: s.team, a: ca, b: s.profile, c: r.Name()})
		}
		add(aggKey{table: tRenewal, team: s.team, a: ca, b: s.profile, day: monthOf(s.notAfter)})
	}
	if s.status == string(domain.StatusPendingApproval) {
		add(aggKey{table: tPending, team: s.team, a: ca, b: s.profile, day: dayOf(s.requestedAt)})
	}
	if !s.issuedAt.IsZero() {
		add(aggKey{table: tIssued, team: s.team, a: ca, b: s.profile, day: monthOf(s.issuedAt)})
	}
}

// evaluate returns the static findings of an issued certificate under its profile (nil when the
// read model has no such profile).
func (s *certState) evaluate(p *profileRules) Rules {
	if s.issuedAt.IsZero() {
		return 0
	}
	var r Rules
	switch {
	case strings.HasPrefix(s.keyType, "rsa") && s.keyBits < 2048,
		strings.HasPrefix(s.keyType, "ecdsa") && s.keyBits < 224:
		r |= RuleWeakKey
	}
	if strings.Contains(strings.ToUpper(s.signatureAlgorithm), "SHA1") {
		r |= RuleSHA1Signature
	}
	// A validity of d days is d×24h plus the backdating the issuing CA adds, as the domain's
	// own check counts it.
	validity := s.notAfter.Sub(s.notBefore) - domain.Backdate
	if p != nil && p.maxValidityDays > 0 && validity > time.Duration(p.maxValidityDays)*24*time.Hour {
		r |= RuleValidityOverProfile
	}
	if s.server && validity > 398*24*time.Hour {
		r |= RuleValidityOver398Days
	}
	if s.wildcard && p != nil && !p.allowWildcards {
		r |= RuleWildcardForbidden
	}
	if strings.TrimSpace(s.owner) == "" || strings.TrimSpace(s.team) == "" {
		r |= RuleMissingOwner
	}
	return r
}

// dayOf returns t's UTC date as days since 1970-01-01.
func dayOf(t time.Time) int32 { return int32(t.UTC().Unix() / 86400) }

// monthOf returns the first day of t's UTC month as days since 1970-01-01.
func monthOf(t time.Time) int32 {
	u := t.UTC()
	return dayOf(time.Date(u.Year(), u.Month(), 1, 0, 0, 0, 0, time.UTC))
}

// dateOf returns the date of a day number.
func dateOf(day int32) time.Time { return time.Unix(int64(day)*86400, 0).UTC() }
