package rest

import (
	"iter"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/projections/reports"
)

// DefaultHarvestDate is the "harvest now, decrypt later" date of the PQC report when the caller
// names none: 2030, when NIST IR 8547 deprecates the quantum-vulnerable signature algorithms.
var DefaultHarvestDate = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

// pqcReport answers GET /reports/pqc?team=&harvest_date=YYYY-MM-DD.
func (h *handlers) pqcReport(c echo.Context) error {
	team, err := reportTeam(c)
	if err != nil {
		return err
	}
	f := reports.PQCFilter{Team: team, HarvestDate: DefaultHarvestDate}
	if v := c.QueryParam("harvest_date"); v != "" {
		if f.HarvestDate, err = time.Parse(dateLayout, v); err != nil {
			return badRequest("harvest_date must be a date, YYYY-MM-DD")
		}
	}
	src, answered, err := h.reportSource(c)
	if err != nil || answered {
		return err
	}
	r, err := src.reports.PQC(c.Request().Context(), f, src.now)
	if err != nil {
		return err
	}
	out := pqcWire(r)
	out.AsOf = src.moment
	if wantsCSV(c) {
		return writeCSV(c, "pqc", pqcCSV(out))
	}
	return c.JSON(http.StatusOK, out)
}

func pqcWire(r reports.PQCReport) wire.PQCReport {
	out := wire.PQCReport{Today: r.Today.Format(dateLayout), HarvestDate: r.HarvestDate.Format(dateLayout),
		VulnerableShare: r.VulnerableShare, KeyTypes: []wire.PQCKeyType{}, Teams: []wire.PQCTeam{}}
	for _, k := range r.KeyTypes {
		out.KeyTypes = append(out.KeyTypes, wire.PQCKeyType{Team: k.Team, KeyType: k.KeyType, Family: k.Family,
			QuantumVulnerable: k.QuantumVulnerable, Valid: k.Valid, PastHarvest: k.PastHarvest})
	}
	for _, t := range r.Teams {
		out.Teams = append(out.Teams, wire.PQCTeam{Team: t.Team, Valid: t.Valid, Vulnerable: t.Vulnerable,
			PastHarvest: t.PastHarvest, AutomatedRenewal: t.AutomatedRenewal, Score: t.Score})
	}
	return out
}

func pqcCSV(r wire.PQCReport) iter.Seq[[]string] {
	return func(yield func([]string) bool) {
		if !yield([]string{"team", "key_type", "family", "quantum_vulnerable", "valid", "past_harvest", "harvest_date"}) {
			return
		}
		for _, k := range r.KeyTypes {
			if !yield([]string{k.Team, k.KeyType, k.Family, strconv.FormatBool(k.QuantumVulnerable), itoa(k.Valid),
				itoa(k.PastHarvest), r.HarvestDate}) {
				return
			}
		}
	}
}
