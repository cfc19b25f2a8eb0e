package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

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
	return out, c.report(ctx, "expiry", q.values(), &out, opts)
}

// ComplianceReport returns the compliance report.
func (c *Client) ComplianceReport(ctx context.Context, q ReportQuery, opts ...RequestOption) (ComplianceReport, error) {
	var out ComplianceReport
	return out, c.report(ctx, "compliance", q.values(), &out, opts)
}

// CostReport returns the cost report.
func (c *Client) CostReport(ctx context.Context, q ReportQuery, opts ...RequestOption) (CostReport, error) {
	var out CostReport
	return out, c.report(ctx, "cost", q.values(), &out, opts)
}

// PQCReport returns the post-quantum readiness report; q may name team and harvest_date.
func (c *Client) PQCReport(ctx context.Context, q ReportQuery, opts ...RequestOption) (PQCReport, error) {
	var out PQCReport
	return out, c.report(ctx, "pqc", q.values(), &out, opts)
}

// ReportCSV returns a report (expiry, compliance, cost or pqc) as CSV.
func (c *Client) ReportCSV(ctx context.Context, report string, q ReportQuery, opts ...RequestOption) ([]byte, error) {
	v := q.values()
	v.Set("format", "csv")
	resp, err := c.waitForReport(ctx, report, v, opts)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// AsOfProgress tells f how far the ledger is in replaying the moment of a report asked with
// as_of, each time it answers that the replay still runs.
func AsOfProgress(f func(wire.ReplayProgress)) RequestOption {
	return func(r *request) { r.progress = f }
}

// report GETs a report as JSON into out (waitForReport).
func (c *Client) report(ctx context.Context, name string, v url.Values, out any, opts []RequestOption) error {
	resp, err := c.waitForReport(ctx, name, v, opts)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return fmt.Errorf("GET %s/reports/%s: the answer is not the JSON expected: %w", Prefix, name, err)
	}
	return nil
}

// waitForReport GETs a report; while the ledger replays the moment of an as_of query (202), it
// asks again after Retry-After, telling the AsOfProgress option of each answer.
func (c *Client) waitForReport(ctx context.Context, name string, v url.Values, opts []RequestOption) (*Response, error) {
	r := request{header: http.Header{}}
	for _, o := range opts {
		o(&r)
	}
	for {
		resp, err := c.send(ctx, http.MethodGet, "/reports/"+segment(name), v, nil, opts)
		if err != nil || resp.Status != http.StatusAccepted {
			return resp, err
		}
		var p wire.ReplayProgress
		if err := json.Unmarshal(resp.Body, &p); err != nil {
			return nil, fmt.Errorf("GET %s/reports/%s: the progress is not the JSON expected: %w", Prefix, name, err)
		}
		if r.progress != nil {
			r.progress(p)
		}
		wait := time.Second
		if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && secs > 0 {
			wait = time.Duration(secs) * time.Second
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
	}
}
