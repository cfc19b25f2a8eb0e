package dashboard

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/api/wire"
)

// pendingCap is how many pending requests the overview and the approvals queue list (the API's
// largest page); beyond it the count reads "500+".
const pendingCap = 500

// overviewData is the overview page: the four reports and the counts the cards show.
type overviewData struct {
	Counts     counts
	Timeline   timelineChart
	Compliance wire.ComplianceReport
	PQC        wire.PQCReport
	Cost       wire.CostReport
	Today      string
	// AsOf is the moment the reports show when the page was asked ?as_of= (nil: now); the
	// pending count is the inventory's, which has no past, so it is left out then.
	AsOf      *wire.ReportMoment
	AsOfInput string
}

// counts are the overview's cards. Valid, Expiring and Expired come from the expiry report;
// Pending from the first page of pending requests.
type counts struct {
	Valid, Within30, Expired int64
	Pending                  string
}

// overview shows the expiry timeline, compliance by team, PQC readiness, the year's cost and
// the counts, all from the report routes as the caller may read them.
func (db *Dashboard) overview(c echo.Context) error {
	asOf := strings.TrimSpace(c.QueryParam("as_of"))
	d, err := loadOverview(c, db.apiAs(c), asOf)
	if err != nil {
		return db.failed(c, "overview", "Overview", err)
	}
	// The past does not change: a page as of a moment does not follow the live feed.
	return db.render(c, http.StatusOK, "overview", view{Title: "Overview", Nav: "overview", Live: asOf == "", Data: d})
}

// loadOverview asks the API for the four reports and the first page of pending requests at
// once: each is a query of its own read model, so the page takes as long as the slowest.
func loadOverview(c echo.Context, api *client.Client, asOf string) (overviewData, error) {
	ctx := c.Request().Context()
	d := overviewData{AsOfInput: asOf}
	var expiry wire.ExpiryReport
	var pending wire.CertificateList
	year := strconv.Itoa(time.Now().UTC().Year())
	at := client.ReportQuery{"as_of": asOf}
	calls := []func() error{
		func() (err error) {
			expiry, err = api.ExpiryReport(ctx, client.ReportQuery{"group_by": "team", "as_of": asOf})
			return
		},
		func() (err error) { d.Compliance, err = api.ComplianceReport(ctx, at); return },
		func() (err error) { d.PQC, err = api.PQCReport(ctx, at); return },
		func() (err error) {
			d.Cost, err = api.CostReport(ctx, client.ReportQuery{"year": year, "as_of": asOf})
			return
		},
	}
	if asOf == "" {
		calls = append(calls, func() (err error) {
			pending, err = api.ListCertificates(ctx, client.CertificateFilter{Status: "pending_approval"}, "", pendingCap)
			return
		})
	}
	err := all(calls...)
	if err != nil {
		return d, err
	}
	for _, g := range expiry.Groups {
		d.Counts.Valid += g.Total - g.Expired
		d.Counts.Within30 += g.Within7Days + g.Within30Days
		d.Counts.Expired += g.Expired
	}
	d.Counts.Pending = strconv.Itoa(len(pending.Items))
	if pending.NextCursor != "" {
		d.Counts.Pending += "+"
	}
	if asOf != "" {
		d.Counts.Pending, d.AsOf = "—", expiry.AsOf
	}
	d.Timeline = newTimeline(expiry.Timeline)
	d.Today = expiry.Today
	return d, nil
}

// all runs the calls at once and returns the first error among them.
func all(calls ...func() error) error {
	errs := make([]error, len(calls))
	var wg sync.WaitGroup
	for i, call := range calls {
		wg.Go(func() { errs[i] = call() })
	}
	wg.Wait()
	return errors.Join(errs...)
}
