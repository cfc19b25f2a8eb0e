package rest

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/reports"
)

// ReportsAsOf answers the reports as they were at a past moment, from a point-in-time replay
// of the report read model (cmd/ledgerd: a projections.AsOfCache). A state that is not Ready
// says how far the replay is.
type ReportsAsOf interface {
	ReportsAsOf(ctx context.Context, at projections.AsOf) (Reports, projections.AsOfState, error)
}

// asOfWait is how long a report request waits for a replay before it answers its progress.
const asOfWait = 5 * time.Second

// ReplayedReports answers the reports as of a moment from Cache's replays of the report
// projection alone (so its tables keep their names), read with Live's queries.
type ReplayedReports struct {
	Cache *projections.AsOfCache
	Live  *reports.Queries
}

// ReportsAsOf waits up to asOfWait for the moment's replay.
func (r ReplayedReports) ReportsAsOf(ctx context.Context, at projections.AsOf) (Reports, projections.AsOfState, error) {
	state, err := r.Cache.Get(ctx, at, asOfWait)
	if err != nil || !state.Ready {
		return nil, state, err
	}
	return r.Live.In(state.Replayed.Schema), state, nil
}

// reportSource is the read model a report answers from, the moment it counts days from, and,
// for ?as_of=, which moment that is.
type reportSource struct {
	reports Reports
	now     time.Time
	moment  *wire.ReportMoment
}

// reportSource returns the live read model, or with ?as_of= (a position of $all or an RFC 3339
// time) its replay at that moment. While the replay runs it answers 202 with the progress and
// Retry-After itself, and reports answered.
func (h *handlers) reportSource(c echo.Context) (src reportSource, answered bool, err error) {
	v := c.QueryParam("as_of")
	if v == "" {
		return reportSource{reports: h.Reports, now: time.Now()}, false, nil
	}
	if h.ReportsAsOf == nil {
		return src, false, badRequest("this ledger answers no reports as of a past moment")
	}
	at, err := projections.ParseAsOf(v)
	if err != nil {
		return src, false, badRequest("as_of " + err.Error())
	}
	if at.Time.After(time.Now()) {
		return src, false, badRequest("as_of is in the future")
	}
	q, state, err := h.ReportsAsOf.ReportsAsOf(c.Request().Context(), at)
	if err != nil {
		return src, false, err
	}
	if !state.Ready {
		c.Response().Header().Set("Retry-After", "1")
		return src, true, c.JSON(http.StatusAccepted, wire.ReplayProgress{Status: "replaying", AsOf: v,
			EventsDone: state.Done, EventsTotal: state.Total})
	}
	now := state.Replayed.Time
	if now.IsZero() { // a position before the first event
		now = time.Now()
	}
	c.Response().Header().Set("Ledger-As-Of-Position", strconv.FormatUint(state.Replayed.Position, 10))
	return reportSource{reports: q, now: now,
		moment: &wire.ReportMoment{AsOf: v, Position: state.Replayed.Position, Time: now.UTC()}}, false, nil
}
