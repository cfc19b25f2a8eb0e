package rest

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections/pki"
)

// ReadModel is what the list routes need of the PKI read model.
type ReadModel interface {
	ListCertificates(ctx context.Context, f pki.CertificateFilter, cursor string, limit int) ([]pki.CertificateRow, string, error)
	ExportCertificates(ctx context.Context, f pki.CertificateFilter, emit func(pki.CertificateRow) error) error
	ListCAs(ctx context.Context) ([]pki.CARow, error)
	ListProfiles(ctx context.Context) ([]pki.ProfileRow, error)
	Profile(ctx context.Context, name string) (pki.ProfileRow, error)
}

// listCertificates answers GET /api/v1/certificates?status=&team=&owner=&ca_id=&key_type=
// &expires_before=&expires_after=&san=&limit=&cursor= from the read model, a page at a time.
// DEVOPS sees its own team's certificates only.
func (h *handlers) listCertificates(c echo.Context) error {
	f, limit, err := certificateFilter(c)
	if err != nil {
		return err
	}
	if team, all := readScope(actorOf(c)); !all {
		if f.Team != "" && f.Team != team {
			return notVisible("team " + strconv.Quote(f.Team))
		}
		if f.Team = team; team == "" {
			return forbidden("%s has no team, and DEVOPS reads its team's certificates only", actorOf(c).Subject)
		}
	}
	if wantsCSV(c) {
		return h.exportCertificates(c, f)
	}
	items, next, err := h.ReadModel.ListCertificates(c.Request().Context(), f, c.QueryParam("cursor"), limit)
	if errors.Is(err, pki.ErrBadCursor) {
		return badRequest("the cursor is not one this API handed out")
	}
	if err != nil {
		return err
	}
	page := wire.CertificateList{Items: make([]wire.CertificateListItem, len(items)), NextCursor: next}
	for i, r := range items {
		page.Items[i] = certificateItem(r)
	}
	return c.JSON(http.StatusOK, page)
}

func certificateFilter(c echo.Context) (pki.CertificateFilter, int, error) {
	q := c.QueryParams()
	f := pki.CertificateFilter{Status: domain.CertStatus(q.Get("status")), Team: q.Get("team"), Owner: q.Get("owner"),
		KeyType: domain.KeyType(q.Get("key_type")), SAN: q.Get("san"), Serial: q.Get("serial")}
	if v := q.Get("ca_id"); v != "" {
		id, err := uuid.Parse(v)
		if err != nil {
			return f, 0, badRequest("ca_id is not a UUID")
		}
		f.CAID = id
	}
	for name, dst := range map[string]**time.Time{"expires_before": &f.ExpiresBefore, "expires_after": &f.ExpiresAfter} {
		if v := q.Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return f, 0, badRequest(name + " is not an RFC 3339 time")
			}
			*dst = &t
		}
	}
	limit, err := pageLimit(c)
	return f, limit, err
}

// pageLimit reads the limit of a page, 0 when the query names none.
func pageLimit(c echo.Context) (int, error) {
	v := c.QueryParam("limit")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 500 {
		return 0, badRequest("limit must be a number from 1 to 500")
	}
	return n, nil
}

// listCAs lists the CAs of the read model; HSM key labels only for those who see keys.
func (h *handlers) listCAs(c echo.Context) error {
	rows, err := h.ReadModel.ListCAs(c.Request().Context())
	if err != nil {
		return err
	}
	list := wire.CAList{Items: make([]wire.CAListItem, len(rows))}
	for i, r := range rows {
		list.Items[i] = caItem(r, seesKeys(actorOf(c)))
	}
	return c.JSON(http.StatusOK, list)
}
