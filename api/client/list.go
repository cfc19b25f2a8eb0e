package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/certledger/certledger/api/wire"
)

// CertificateFilter selects certificates of the inventory; zero fields select everything.
type CertificateFilter struct {
	Status  string
	Team    string
	Owner   string
	CAID    string
	KeyType string
	// SAN selects certificates with a SAN containing it, ignoring case.
	SAN string
	// Serial selects certificates with this hexadecimal serial number.
	Serial string
	// ExpiresBefore and ExpiresAfter select not_after < ExpiresBefore and
	// not_after >= ExpiresAfter.
	ExpiresBefore, ExpiresAfter time.Time
}

// query is the filter as the route's query parameters.
func (f CertificateFilter) query() url.Values {
	q := url.Values{}
	for name, v := range map[string]string{"status": f.Status, "team": f.Team, "owner": f.Owner, "ca_id": f.CAID,
		"key_type": f.KeyType, "san": f.SAN, "serial": f.Serial} {
		if v != "" {
			q.Set(name, v)
		}
	}
	for name, t := range map[string]time.Time{"expires_before": f.ExpiresBefore, "expires_after": f.ExpiresAfter} {
		if !t.IsZero() {
			q.Set(name, t.UTC().Format(time.RFC3339))
		}
	}
	return q
}

// CertificatePage is one page of ListCertificates; NextCursor is "" on the last page.
type CertificatePage = wire.CertificateList

// CertificateEntry is a certificate as the inventory (the PKI read model) lists it. The fields
// describing the issued certificate are empty until it is issued.
type CertificateEntry = wire.CertificateListItem

// ListCertificates returns a page of the certificates matching f, after the page cursor names
// ("" for the first page); limit 0 is the server's default (50), at most 500. The inventory
// follows the ledger's events, so a certificate shows up shortly after its command.
func (c *Client) ListCertificates(ctx context.Context, f CertificateFilter, cursor string, limit int, opts ...RequestOption) (CertificatePage, error) {
	q := f.query()
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var out CertificatePage
	return out, c.call(ctx, http.MethodGet, "/certificates", q, nil, &out, opts)
}
