package reports

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections"
)

// PQCFilter selects a post-quantum readiness report: of one team or ("") every team, with the
// "harvest now, decrypt later" date: traffic protected by a vulnerable key that is still valid
// after it is assumed recorded today and decrypted then.
type PQCFilter struct {
	Team        string
	HarvestDate time.Time
}

// PQCKeyType counts the valid certificates (issued, not yet expired) of one team and key type.
type PQCKeyType struct {
	Team, KeyType, Family string
	QuantumVulnerable     bool
	// Valid counts the certificates valid today; PastHarvest those of them still valid after
	// the harvest date.
	Valid, PastHarvest int64
}

// PQCTeam is a team's readiness: the share of its valid certificates that are not exposed past
// the harvest date (quantum-safe, or expiring before it). AutomatedRenewal counts certificates
// renewed without a person; the ledger does not renew on its own yet, so it is 0.
type PQCTeam struct {
	Team                           string
	Valid, Vulnerable, PastHarvest int64
	AutomatedRenewal               int64
	Score                          float64
}

// PQCReport is the readiness report of a day.
type PQCReport struct {
	Today, HarvestDate time.Time
	KeyTypes           []PQCKeyType
	Teams              []PQCTeam
	// VulnerableShare is the share of every valid certificate that is quantum-vulnerable.
	VulnerableShare float64
}

// PQC returns the readiness report as of now. It sums the key-type rows of expiry_days for this
// month and the harvest date's month, and of expiry_months for the months between and after: a
// few rows per team and key type, never a certificate.
func (q *Queries) PQC(ctx context.Context, f PQCFilter, now time.Time) (PQCReport, error) {
	today := dateOf(dayOf(now))
	harvest := dateOf(dayOf(f.HarvestDate))
	r := PQCReport{Today: today, HarvestDate: harvest}
	nextMonth := dateOf(monthOf(today)).AddDate(0, 1, 0)
	afterHarvest := dateOf(monthOf(harvest)).AddDate(0, 1, 0)
	rows, err := q.pool.Query(ctx, `SELECT team, value, coalesce(sum(n) FILTER (WHERE valid), 0), coalesce(sum(n) FILTER (WHERE past), 0)
		FROM (SELECT team, value, n, true AS valid, day > $3 AS past FROM `+q.schema+`.expiry_days
				WHERE dim = $1 AND ($2 = '' OR team = $2) AND day >= $4 AND day < $5
			UNION ALL SELECT team, value, n, false, true FROM `+q.schema+`.expiry_days
				WHERE dim = $1 AND ($2 = '' OR team = $2) AND day > $3 AND day >= $5 AND day < $6
			UNION ALL SELECT team, value, n, true, day >= $6 FROM `+q.schema+`.expiry_months
				WHERE dim = $1 AND ($2 = '' OR team = $2) AND day >= $5) x
		GROUP BY team, value HAVING sum(n) FILTER (WHERE valid) <> 0 ORDER BY team, value`,
		DimKeyType, f.Team, harvest, today, nextMonth, afterHarvest)
	if err != nil {
		return r, fmt.Errorf("PQC report: %w", projections.NotReady(err))
	}
	defer rows.Close()
	teams := map[string]*PQCTeam{}
	var valid, vulnerable int64
	for rows.Next() {
		var k PQCKeyType
		if err := rows.Scan(&k.Team, &k.KeyType, &k.Valid, &k.PastHarvest); err != nil {
			return r, fmt.Errorf("PQC report: %w", err)
		}
		kt := domain.KeyType(k.KeyType)
		k.Family, k.QuantumVulnerable = kt.Family(), kt.QuantumVulnerable()
		if !k.QuantumVulnerable {
			k.PastHarvest = 0 // a quantum-safe key is not exposed, however long it lives
		}
		r.KeyTypes = append(r.KeyTypes, k)
		t := teams[k.Team]
		if t == nil {
			t = &PQCTeam{Team: k.Team}
			teams[k.Team] = t
		}
		t.Valid += k.Valid
		t.PastHarvest += k.PastHarvest
		if k.QuantumVulnerable {
			t.Vulnerable += k.Valid
			vulnerable += k.Valid
		}
		valid += k.Valid
	}
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("PQC report: %w", projections.NotReady(err))
	}
	for _, name := range slices.Sorted(maps.Keys(teams)) {
		t := teams[name]
		t.Score = 1 - float64(t.PastHarvest)/float64(t.Valid)
		r.Teams = append(r.Teams, *t)
	}
	if valid > 0 {
		r.VulnerableShare = float64(vulnerable) / float64(valid)
	}
	return r, nil
}
