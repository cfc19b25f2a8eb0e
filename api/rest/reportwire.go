package rest

import (
	"encoding/csv"
	"fmt"
	"iter"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/projections/reports"
)

const (
	mediaCSV   = "text/csv"
	dateLayout = "2006-01-02"
)

func expiryWire(r reports.ExpiryReport) wire.ExpiryReport {
	out := wire.ExpiryReport{Today: r.Today.Format(dateLayout), GroupBy: r.GroupBy, Groups: []wire.ExpiryGroup{},
		Timeline: make([]wire.ExpiryWeek, len(r.Timeline))}
	for _, g := range r.Groups {
		out.Groups = append(out.Groups, wire.ExpiryGroup{Key: g.Key, Name: g.Name, Expired: g.Expired, Within7Days: g.Within7,
			Within30Days: g.Within30, Within90Days: g.Within90, Later: g.Later, Total: g.Total})
	}
	for i, w := range r.Timeline {
		out.Timeline[i] = wire.ExpiryWeek{Start: w.Start.Format(dateLayout), Count: w.Count}
	}
	return out
}

func complianceWire(r reports.ComplianceReport) wire.ComplianceReport {
	out := wire.ComplianceReport{Today: r.Today.Format(dateLayout), Teams: []wire.TeamCompliance{}, Findings: []wire.FindingCount{}}
	for _, s := range r.Teams {
		out.Teams = append(out.Teams, wire.TeamCompliance{Team: s.Team, Certificates: s.Certificates, WithFindings: s.WithFindings, Score: s.Score})
	}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, wire.FindingCount{Team: f.Team, Rule: f.Rule, Severity: f.Severity, Count: f.Count})
	}
	return out
}

func costWire(r reports.CostReport) wire.CostReport {
	lines := func(ls []reports.CostLine, monthly bool) []wire.CostLine {
		out := make([]wire.CostLine, len(ls))
		for i, l := range ls {
			out[i] = wire.CostLine{Team: l.Team, CAID: l.CAID, CAName: l.CAName, Certificates: l.Certificates, Amount: l.Amount.String()}
			if monthly {
				out[i].Month = l.Month.Format("2006-01")
			}
		}
		return out
	}
	return wire.CostReport{Currency: r.Currency, Year: r.Year, YearTotal: r.YearTotal.String(), RenewalTotal: r.RenewalTotal.String(),
		Monthly: lines(r.Monthly, true), Yearly: lines(r.Yearly, false), Renewals: lines(r.Renewals, true)}
}

// writeCSV streams rows (the first is the header) as text/csv, flushing as it goes.
func writeCSV(c echo.Context, name string, rows iter.Seq[[]string]) error {
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, mediaCSV+"; charset=utf-8")
	res.Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", name+".csv"))
	res.WriteHeader(http.StatusOK)
	w := csv.NewWriter(res)
	for row := range rows {
		if err := w.Write(row); err != nil {
			return err // the status is sent: the client sees a cut-off body
		}
	}
	w.Flush()
	return w.Error()
}

func expiryCSV(r wire.ExpiryReport) iter.Seq[[]string] {
	return func(yield func([]string) bool) {
		if !yield([]string{r.GroupBy, "name", "expired", "within_7_days", "within_30_days", "within_90_days", "later", "total"}) {
			return
		}
		for _, g := range r.Groups {
			if !yield([]string{g.Key, g.Name, itoa(g.Expired), itoa(g.Within7Days), itoa(g.Within30Days), itoa(g.Within90Days), itoa(g.Later), itoa(g.Total)}) {
				return
			}
		}
	}
}

func complianceCSV(r wire.ComplianceReport) iter.Seq[[]string] {
	return func(yield func([]string) bool) {
		if !yield([]string{"team", "rule", "severity", "count"}) {
			return
		}
		for _, s := range r.Teams {
			if !yield([]string{s.Team, "score", "", strconv.FormatFloat(s.Score, 'f', 4, 64)}) {
				return
			}
		}
		for _, f := range r.Findings {
			if !yield([]string{f.Team, f.Rule, f.Severity, itoa(f.Count)}) {
				return
			}
		}
	}
}

func costCSV(r wire.CostReport) iter.Seq[[]string] {
	return func(yield func([]string) bool) {
		if !yield([]string{"kind", "month", "team", "ca_id", "ca_name", "certificates", "amount", "currency"}) {
			return
		}
		for _, part := range []struct {
			kind  string
			lines []wire.CostLine
		}{{"issued", r.Monthly}, {"renewal", r.Renewals}} {
			for _, l := range part.lines {
				if !yield([]string{part.kind, l.Month, l.Team, l.CAID, l.CAName, itoa(l.Certificates), l.Amount, r.Currency}) {
					return
				}
			}
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
