package wire

// ExpiryReport answers GET /reports/expiry: certificates (issued or expired, neither revoked
// nor superseded) by window of their not_after, in whole UTC days from today, grouped by one
// dimension, and the weekly timeline of the next 52 weeks.
type ExpiryReport struct {
	Today    string        `json:"today"` // YYYY-MM-DD, UTC
	GroupBy  string        `json:"group_by"`
	Groups   []ExpiryGroup `json:"groups"`
	Timeline []ExpiryWeek  `json:"timeline"`
	AsOf     *ReportMoment `json:"as_of,omitempty"`
}

// ExpiryGroup counts one value of the dimension by disjoint window: expired (before today),
// within 7 days (today … +7), within 30 (+8 … +30), within 90 (+31 … +90), later.
type ExpiryGroup struct {
	Key          string `json:"key"`
	Name         string `json:"name,omitempty"` // the CA's name when grouped by CA
	Expired      int64  `json:"expired"`
	Within7Days  int64  `json:"within_7_days"`
	Within30Days int64  `json:"within_30_days"`
	Within90Days int64  `json:"within_90_days"`
	Later        int64  `json:"later"`
	Total        int64  `json:"total"`
}

// ExpiryWeek is the number of certificates whose not_after falls in the week from start.
type ExpiryWeek struct {
	Start string `json:"start"` // YYYY-MM-DD
	Count int64  `json:"count"`
}

// ComplianceReport answers GET /reports/compliance: each team's score and its findings by rule.
type ComplianceReport struct {
	Today    string           `json:"today"`
	Teams    []TeamCompliance `json:"teams"`
	Findings []FindingCount   `json:"findings"`
	AsOf     *ReportMoment    `json:"as_of,omitempty"`
}

// TeamCompliance is a team's score: the share of its issued certificates without findings.
type TeamCompliance struct {
	Team         string  `json:"team"`
	Certificates int64   `json:"certificates"`
	WithFindings int64   `json:"with_findings"`
	Score        float64 `json:"score"`
}

// FindingCount is the number of a team's findings of one rule.
type FindingCount struct {
	Team     string `json:"team"`
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Count    int64  `json:"count"`
}

// CostReport answers GET /reports/cost. Amounts are exact decimals written as strings, never
// floats.
type CostReport struct {
	Currency     string        `json:"currency"`
	Year         int           `json:"year"`
	YearTotal    string        `json:"year_total"`
	RenewalTotal string        `json:"renewal_total"`
	Monthly      []CostLine    `json:"monthly"`
	Yearly       []CostLine    `json:"yearly"`
	Renewals     []CostLine    `json:"renewals"`
	AsOf         *ReportMoment `json:"as_of,omitempty"`
}

// CostLine is what a team's certificates of one CA cost in a month (none in yearly lines).
type CostLine struct {
	Month        string `json:"month,omitempty"` // YYYY-MM
	Team         string `json:"team"`
	CAID         string `json:"ca_id"`
	CAName       string `json:"ca_name"`
	Certificates int64  `json:"certificates"`
	Amount       string `json:"amount"`
}

// PQCReport answers GET /reports/pqc: valid certificates by team and key type, how many are
// quantum-vulnerable and still valid after the harvest ("harvest now, decrypt later") date,
// and each team's readiness score (the share of its valid certificates not exposed past it).
type PQCReport struct {
	Today           string        `json:"today"`
	HarvestDate     string        `json:"harvest_date"`
	VulnerableShare float64       `json:"vulnerable_share"`
	KeyTypes        []PQCKeyType  `json:"key_types"`
	Teams           []PQCTeam     `json:"teams"`
	AsOf            *ReportMoment `json:"as_of,omitempty"`
}

// PQCKeyType counts one team's valid certificates of one key type.
type PQCKeyType struct {
	Team              string `json:"team"`
	KeyType           string `json:"key_type"`
	Family            string `json:"family"`
	QuantumVulnerable bool   `json:"quantum_vulnerable"`
	Valid             int64  `json:"valid"`
	PastHarvest       int64  `json:"past_harvest"`
}

// PQCTeam is one team's readiness.
type PQCTeam struct {
	Team             string  `json:"team"`
	Valid            int64   `json:"valid"`
	Vulnerable       int64   `json:"vulnerable"`
	PastHarvest      int64   `json:"past_harvest"`
	AutomatedRenewal int64   `json:"automated_renewal"`
	Score            float64 `json:"score"`
}
