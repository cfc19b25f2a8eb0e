package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/certledger/certledger/api/wire"
)

// RecordScan records one scan of a discovery scope. With IdempotencyKey a retry appends
// nothing and answers Replayed.
func (c *Client) RecordScan(ctx context.Context, report wire.ScanReport, opts ...RequestOption) (wire.ScanResult, error) {
	var out wire.ScanResult
	err := c.call(ctx, http.MethodPost, "/discovery/scans", nil, report, &out, opts)
	return out, err
}

// DiscoveredFilter narrows ListDiscovered; empty fields match everything.
type DiscoveredFilter struct {
	Classification string // "managed", "known_external" or "shadow"
	Finding        string // such as "weak_key"
	Scope          string
}

// ListDiscovered returns a page of discovered certificates after cursor ("" for the first),
// at most limit (0: the server's default).
func (c *Client) ListDiscovered(ctx context.Context, f DiscoveredFilter, cursor string, limit int, opts ...RequestOption) (wire.DiscoveredList, error) {
	q := url.Values{}
	for name, v := range map[string]string{"classification": f.Classification, "finding": f.Finding, "scope": f.Scope, "cursor": cursor} {
		if v != "" {
			q.Set(name, v)
		}
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var out wire.DiscoveredList
	return out, c.call(ctx, http.MethodGet, "/discovery/certificates", q, nil, &out, opts)
}

// AdoptDiscovered takes the discovered certificate with the SHA-256 fingerprint under
// management by a team, in a profile whose renewal policy then applies (SEC_OPS).
func (c *Client) AdoptDiscovered(ctx context.Context, fingerprint string, req wire.AdoptRequest, opts ...RequestOption) (wire.Adoption, error) {
	var out wire.Adoption
	err := c.call(ctx, http.MethodPost, "/discovery/certificates/"+url.PathEscape(fingerprint)+"/adopt", nil, req, &out, opts)
	return out, err
}
