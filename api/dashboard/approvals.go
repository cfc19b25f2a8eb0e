package dashboard

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/api/wire"
)

// approvalsData is the queue of requests waiting for approval, and the outcome of the last
// decision made from it.
type approvalsData struct {
	Pending []wire.CertificateListItem
	More    bool
	Done    string // "<id> is now <status>"
}

// approvals lists the pending requests the caller may read; SEC_OPS (and ADMIN) see the
// approve and reject forms, which the API would refuse to anyone else anyway.
func (db *Dashboard) approvals(c echo.Context) error {
	page, err := db.apiAs(c).ListCertificates(c.Request().Context(), client.CertificateFilter{Status: "pending_approval"}, "", pendingCap)
	if err != nil {
		return db.failed(c, "approvals", "Approvals", err)
	}
	d := approvalsData{Pending: page.Items, More: page.NextCursor != "", Done: c.QueryParam("done")}
	return db.render(c, http.StatusOK, "approvals", view{Title: "Approvals", Nav: "approvals", Live: true, Data: d})
}

// decide approves or rejects one request with the form's reason, through the API's approve and
// reject routes, then shows the queue again with the outcome.
func (db *Dashboard) decide(c echo.Context) error {
	api, ctx, id := db.apiAs(c), c.Request().Context(), c.Param("id")
	reason := strings.TrimSpace(c.FormValue("reason"))
	var cert wire.Certificate
	var err error
	switch c.FormValue("decision") {
	case "approve":
		cert, err = api.Approve(ctx, id, reason)
	case "reject":
		if reason == "" {
			return db.failed(c, "approvals", "Approvals", errReasonRequired)
		}
		cert, err = api.Reject(ctx, id, reason)
	default:
		return c.String(http.StatusBadRequest, "decision must be approve or reject")
	}
	if err != nil {
		return db.failed(c, "approvals", "Approvals", err)
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/approvals?done="+url.QueryEscape(cert.CommonName+" ("+cert.ID+") is now "+cert.Status))
}

// errReasonRequired is the answer to a rejection without a reason: the requester is owed one.
var errReasonRequired = &client.Error{Status: http.StatusBadRequest, Title: "A rejection needs a reason",
	Detail: "say why the request is rejected; the requester sees it in the certificate's history"}
