package rest

import (
	"context"
	"errors"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/projections/pki"
)

// Renewals is what the renewal routes need of the PKI read model (*pki.Queries).
type Renewals interface {
	ListRenewals(ctx context.Context, f pki.RenewalFilter, cursor uuid.UUID, limit int) ([]pki.RenewalRow, uuid.UUID, error)
}

// defaultRenewalPage is a page of renewals when the request names no limit.
const defaultRenewalPage = 100

func (h *handlers) renewalRoutes() []Route {
	return []Route{
		{http.MethodGet, "/renewals", Read, "List certificates' renewal state: due, failed (with attempts), renewed", h.listRenewals},
	}
}

// listRenewals answers GET /renewals?state=&team=&certificate_id=&limit=&cursor=. DEVOPS sees
// its own team's renewals only.
func (h *handlers) listRenewals(c echo.Context) error {
	q := c.QueryParams()
	f := pki.RenewalFilter{State: q.Get("state"), Team: q.Get("team")}
	if team, all := readScope(actorOf(c)); !all {
		if f.Team != "" && f.Team != team {
			return notVisible("team " + f.Team)
		}
		if f.Team = team; team == "" {
			return forbidden("%s has no team, and DEVOPS reads its team's renewals only", actorOf(c).Subject)
		}
	}
	var err error
	cursor := uuid.Nil
	if v := q.Get("cursor"); v != "" {
		if cursor, err = uuid.Parse(v); err != nil {
			return badRequest("the cursor is not one this API handed out")
		}
	}
	if v := q.Get("certificate_id"); v != "" {
		id, err := uuid.Parse(v)
		if err != nil {
			return badRequest("certificate_id is not a UUID")
		}
		f.CertificateID = &id
	}
	limit, err := pageLimit(c)
	if err != nil {
		return err
	}
	if limit == 0 {
		limit = defaultRenewalPage
	}
	rows, next, err := h.Renewals.ListRenewals(c.Request().Context(), f, cursor, limit)
	if errors.Is(err, pki.ErrBadRenewalFilter) {
		return badRequest(err.Error())
	}
	if err != nil {
		return err
	}
	page := wire.RenewalList{Items: make([]wire.Renewal, len(rows))}
	if next != uuid.Nil {
		page.NextCursor = next.String()
	}
	for i, r := range rows {
		page.Items[i] = wire.Renewal{CertificateID: r.CertificateID.String(), CommonName: r.CommonName, Team: r.Team,
			Profile: r.Profile, Status: r.Status, Mode: r.Mode, State: r.State, DueAt: r.DueAt, NotAfter: r.NotAfter,
			Attempts: r.Attempts, LastError: r.LastError, NextAttemptAt: r.NextAttemptAt}
		if r.SuccessorID != nil {
			page.Items[i].SuccessorID = r.SuccessorID.String()
		}
	}
	return c.JSON(http.StatusOK, page)
}
