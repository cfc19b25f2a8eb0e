package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/certledger/certledger/api/wire"
)

// RenewalFilter narrows ListRenewals; empty fields match everything.
type RenewalFilter struct {
	State         string // "due", "failed" or "renewed"
	Team          string
	CertificateID string
}

// ListRenewals returns a page of certificates' renewal states after cursor ("" for the first),
// at most limit (0: the server's default).
func (c *Client) ListRenewals(ctx context.Context, f RenewalFilter, cursor string, limit int, opts ...RequestOption) (wire.RenewalList, error) {
	q := url.Values{}
	for name, v := range map[string]string{"state": f.State, "team": f.Team, "certificate_id": f.CertificateID, "cursor": cursor} {
		if v != "" {
			q.Set(name, v)
		}
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var out wire.RenewalList
	return out, c.call(ctx, http.MethodGet, "/renewals", q, nil, &out, opts)
}
