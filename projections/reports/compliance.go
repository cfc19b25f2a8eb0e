package reports

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/projections"
)

// ErrBadFilter is returned (wrapped) for a report filter the read model cannot answer.
var ErrBadFilter = errors.New("unsupported report filter")

// ComplianceFilter selects a compliance report: one team, CA or profile, or all ("", uuid.Nil).
// A pending request is a finding once it was made more than PendingOlderThanDays whole UTC days
// before today.
type ComplianceFilter struct {
	Team                 string
	CAID                 uuid.UUID
	Profile              string
	PendingOlderThanDays int
}

// TeamScore is a team's score: the share of its issued certificates without findings (1 when
// it has none).
type TeamScore struct {
	Team                       string
	Certificates, WithFindings int64
	Score                      float64
}

// FindingCount is the number of a team's findings of one rule.
type FindingCount struct {
	Team, Rule, Severity string
	Count                int64
}

// ComplianceReport is the scores by team and the findings by team and rule.
type ComplianceReport struct {
	Today    time.Time
	Teams    []TeamScore
	Findings []FindingCount
}

// Compliance returns the compliance report as of now, from compliance_counts and pending_days.
func (q *Queries) Compliance(ctx context.Context, f ComplianceFilter, now time.Time) (ComplianceReport, error) {
	today := dateOf(dayOf(now))
	r := ComplianceReport{Today: today}
	ca := ""
	if f.CAID != uuid.Nil {
		ca = f.CAID.String()
	}
	rows, err := q.pool.Query(ctx, `SELECT team, rule, sum(n) FROM `+q.schema+`.compliance_counts
		WHERE ($1 = '' OR team = $1) AND ($2 = '' OR ca_id = $2) AND ($3 = '' OR profile = $3)
		GROUP BY team, rule
		UNION ALL
		SELECT team, '`+RulePendingApproval+`', sum(n) FROM `+q.schema+`.pending_days
		WHERE ($1 = '' OR team = $1) AND ($2 = '' OR ca_id = $2) AND ($3 = '' OR profile = $3) AND day < $4::date - $5::int
		GROUP BY team
		ORDER BY 1, 2`, f.Team, ca, f.Profile, today, f.PendingOlderThanDays)
	if err != nil {
		return r, fmt.Errorf("compliance report: %w", projections.NotReady(err))
	}
	scores := map[string]*TeamScore{}
	score := func(team string) *TeamScore {
		if scores[team] == nil {
			scores[team] = &TeamScore{Team: team}
		}
		return scores[team]
	}
	for rows.Next() {
		var team, rule string
		var n int64
		if err := rows.Scan(&team, &rule, &n); err != nil {
			return r, fmt.Errorf("compliance report: %w", err)
		}
		switch rule {
		case countCertificates:
			score(team).Certificates = n
		case countWithFindings:
			score(team).WithFindings = n
		default:
			if n != 0 {
				r.Findings = append(r.Findings, FindingCount{Team: team, Rule: rule, Severity: SeverityOf(rule), Count: n})
			}
		}
	}
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("compliance report: %w", projections.NotReady(err))
	}
	for _, s := range scores {
		s.Score = 1
		if s.Certificates > 0 {
			s.Score = float64(s.Certificates-s.WithFindings) / float64(s.Certificates)
		}
		if s.Certificates > 0 || s.WithFindings > 0 {
			r.Teams = append(r.Teams, *s)
		}
	}
	slices.SortFunc(r.Teams, func(a, b TeamScore) int { return cmp.Compare(a.Team, b.Team) })
	return r, nil
}
