package rest

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/projections/reports"
)

// Reports is what the report routes need of the report read model (*reports.Queries).
type Reports interface {
	Expiry(ctx context.Context, f reports.ExpiryFilter, now time.Time) (reports.ExpiryReport, error)
	Compliance(ctx context.Context, f reports.ComplianceFilter, now time.Time) (reports.ComplianceReport, error)
	Cost(ctx context.Context, f reports.CostFilter, now time.Time) (reports.CostReport, error)
	PQC(ctx context.Context, f reports.PQCFilter, now time.Time) (reports.PQCReport, error)
}

// DefaultPendingDays is how old a pending request is before the compliance report counts it.
const DefaultPendingDays = 7

// reportRoutes are the reports: JSON, or CSV with Accept: text/csv or ?format=csv. DEVOPS
// reads its own team's numbers only.
func (h *handlers) reportRoutes() []Route {
	return []Route{
		{http.MethodGet, "/reports/expiry", Read, "Certificates by expiry window and a weekly timeline (group_by=team|ca|profile|key_type)", h.expiryReport},
		{http.MethodGet, "/reports/compliance", Read, "Compliance findings by team and rule, and each team's score", h.complianceReport},
		{http.MethodGet, "/reports/cost", Read, "Certificate cost by month, team and CA, and projected renewals", h.costReport},
		{http.MethodGet, "/reports/pqc", Read, "Post-quantum readiness: valid certificates by key type, those exposed past the harvest date, a score per team", h.pqcReport},
	}
}

// reportTeam returns the team a report is about: the team parameter, forced to the caller's
// own for DEVOPS.
func reportTeam(c echo.Context) (string, error) {
	team := c.QueryParam("team")
	scope, all := readScope(actorOf(c))
	if all {
		return team, nil
	}
	if team != "" && team != scope {
		return "", notVisible("team " + strconv.Quote(team))
	}
	if scope == "" {
		return "", forbidden("%s has no team, and DEVOPS reads its team's reports only", actorOf(c).Subject)
	}
	return scope, nil
}

// wantsCSV reports whether the caller asked for CSV.
func wantsCSV(c echo.Context) bool {
	return c.QueryParam("format") == "csv" || strings.Contains(c.Request().Header.Get(echo.HeaderAccept), mediaCSV)
}

func (h *handlers) expiryReport(c echo.Context) error {
	team, err := reportTeam(c)
	if err != nil {
		return err
	}
	by := c.QueryParam("group_by")
	if by != "" && !reports.ValidDimension(by) {
		return badRequest("group_by must be team, ca, profile or key_type")
	}
	src, answered, err := h.reportSource(c)
	if err != nil || answered {
		return err
	}
	r, err := src.reports.Expiry(c.Request().Context(), reports.ExpiryFilter{GroupBy: by, Team: team}, src.now)
	if err != nil {
		return err
	}
	out := expiryWire(r)
	out.AsOf = src.moment
	if wantsCSV(c) {
		return writeCSV(c, "expiry", expiryCSV(out))
	}
	return c.JSON(http.StatusOK, out)
}

func (h *handlers) complianceReport(c echo.Context) error {
	team, err := reportTeam(c)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	f := reports.ComplianceFilter{Team: team, Profile: q.Get("profile"), PendingOlderThanDays: DefaultPendingDays}
	if v := q.Get("ca_id"); v != "" {
		if f.CAID, err = uuid.Parse(v); err != nil {
			return badRequest("ca_id is not a UUID")
		}
	}
	if v := q.Get("pending_days"); v != "" {
		if f.PendingOlderThanDays, err = strconv.Atoi(v); err != nil || f.PendingOlderThanDays < 0 || f.PendingOlderThanDays > 3650 {
			return badRequest("pending_days must be a number of days from 0 to 3650")
		}
	}
	src, answered, err := h.reportSource(c)
	if err != nil || answered {
		return err
	}
	r, err := src.reports.Compliance(c.Request().Context(), f, src.now)
	if err != nil {
		return err
	}
	out := complianceWire(r)
	out.AsOf = src.moment
	if wantsCSV(c) {
		return writeCSV(c, "compliance", complianceCSV(out))
	}
	return c.JSON(http.StatusOK, out)
}

func (h *handlers) costReport(c echo.Context) error {
	team, err := reportTeam(c)
	if err != nil {
		return err
	}
	f := reports.CostFilter{Team: team}
	if v := c.QueryParam("year"); v != "" {
		if f.Year, err = strconv.Atoi(v); err != nil || f.Year < 1970 || f.Year > 9999 {
			return badRequest("year must be a year from 1970 to 9999")
		}
	}
	src, answered, err := h.reportSource(c)
	if err != nil || answered {
		return err
	}
	r, err := src.reports.Cost(c.Request().Context(), f, src.now)
	if err != nil {
		return err
	}
	out := costWire(r)
	out.AsOf = src.moment
	if wantsCSV(c) {
		return writeCSV(c, "cost", costCSV(out))
	}
	return c.JSON(http.StatusOK, out)
}
