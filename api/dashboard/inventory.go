package dashboard

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/api/wire"
)

// pageSize is how many certificates an inventory page shows.
const pageSize = 50

// inventoryData is a page of the inventory and the filter that chose it.
type inventoryData struct {
	Filter   inventoryFilter
	Items    []wire.CertificateListItem
	NextPage string // the query of the next page, "" on the last
	Statuses []string
}

// inventoryFilter is the form's fields, named as the list route's query parameters.
type inventoryFilter struct {
	Status, Team, Owner, SAN, Serial, KeyType, CAID, Cursor string
}

var statuses = []string{"pending_approval", "approved", "rejected", "issued", "superseded", "revoked", "expired"}

// inventory lists the certificates the caller may read, a keyset page at a time, filtered by
// status, team, owner, key type, CA, serial number and a SAN substring.
func (db *Dashboard) inventory(c echo.Context) error {
	q := c.QueryParams()
	f := inventoryFilter{Status: q.Get("status"), Team: q.Get("team"), Owner: q.Get("owner"), SAN: q.Get("san"),
		Serial: q.Get("serial"), KeyType: q.Get("key_type"), CAID: q.Get("ca_id"), Cursor: q.Get("cursor")}
	page, err := db.apiAs(c).ListCertificates(c.Request().Context(), client.CertificateFilter{Status: f.Status, Team: f.Team,
		Owner: f.Owner, SAN: f.SAN, Serial: f.Serial, KeyType: f.KeyType, CAID: f.CAID}, f.Cursor, pageSize)
	if err != nil {
		return db.failed(c, "inventory", "Inventory", err)
	}
	d := inventoryData{Filter: f, Items: page.Items, Statuses: statuses}
	if page.NextCursor != "" {
		next := url.Values{}
		for k, v := range map[string]string{"status": f.Status, "team": f.Team, "owner": f.Owner, "san": f.SAN, "serial": f.Serial,
			"key_type": f.KeyType, "ca_id": f.CAID, "cursor": page.NextCursor} {
			if v != "" {
				next.Set(k, v)
			}
		}
		d.NextPage = next.Encode()
	}
	// A page after the first stays as it is: new certificates would shift it under the reader.
	return db.render(c, http.StatusOK, "inventory", view{Title: "Inventory", Nav: "inventory", Live: f.Cursor == "", Data: d})
}
