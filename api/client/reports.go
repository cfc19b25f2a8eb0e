package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/certledger/certledger/api/wire"
)

// Report bodies.
type (
	ExpiryReport     = wire.ExpiryReport
	ComplianceReport = wire.ComplianceReport
	CostReport       = wire.CostReport
	CostLine         = wire.CostLine
	PQCReport        = wire.PQCReport
)

// ReportQuery are a report's filters: team, and group_by, ca_id, profile, pending_days or
// year as the report takes them; empty values are left out.
type ReportQuery map[string]string

func (q ReportQuery) values() url.Values {
	v := url.Values{}
	for k, s := range q {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// ExpiryReport returns the expiry report.
func (c *Client) ExpiryReport(ctx context.Context, q ReportQuery, opts ...RequestOption) (ExpiryReport, error) {
	var out ExpiryReport
	return out, c.call(ctx, http.MethodGet, "/reports/expiry", q.values(), nil, &out, opts)
}

// ComplianceReport returns the compliance report.
func (c *Client) ComplianceReport(ctx context.Context, q ReportQuery, opts ...RequestOption) (ComplianceReport, error) {
	var out ComplianceReport
	return out, c.call(ctx, http.MethodGet, "/reports/compliance", q.values(), nil, &out, opts)
}

// CostReport returns the cost report.
func (c *Client) CostReport(ctx context.Context, q ReportQuery, opts ...RequestOption) (CostReport, error) {
	var out CostReport
	return out, c.call(ctx, http.MethodGet, "/reports/cost", q.values(), nil, &out, opts)
}

// PQCReport returns the post-quantum readiness report; q may name team and harvest_date.
func (c *Client) PQCReport(ctx context.Context, q ReportQuery, opts ...RequestOption) (PQCReport, error) {
	var out PQCReport
	return out, c.call(ctx, http.MethodGet, "/reports/pqc", q.values(), nil, &out, opts)
}

// ReportCSV returns a report (expiry, compliance, cost or pqc) as CSV.
func (c *Client) ReportCSV(ctx context.Context, report string, q ReportQuery, opts ...RequestOption) ([]byte, error) {
	v := q.values()
	v.Set("format", "csv")
	resp, err := c.send(ctx, http.MethodGet, "/reports/"+segment(report), v, nil, opts)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}
