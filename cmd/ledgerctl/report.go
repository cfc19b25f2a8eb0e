package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/api/wire"
)

var reportCommands = group{name: "report", summary: "reports: expiry windows, compliance findings, certificate cost, PQC readiness; now or --as-of any past moment", commands: []spec{
	{name: "report expiry", synopsis: "[--team T] [--as-of T] [--group-by team|ca|profile|key_type] [--csv FILE]", output: true,
		summary: "Certificates by expiry window (expired, ≤ 7, ≤ 30, ≤ 90 days, later), grouped, and the weekly\n" +
			"timeline of the next 52 weeks. --csv writes the groups as CSV to FILE (- for stdout).",
		example: "ledgerctl report expiry --group-by ca", run: reportExpiry},
	{name: "report compliance", synopsis: "[--team T] [--as-of T] [--ca ID] [--profile P] [--pending-days N] [--csv FILE]", output: true,
		summary: "Compliance findings by team and rule, and each team's score (share of certificates without findings).",
		example: "ledgerctl report compliance --pending-days 14", run: reportCompliance},
	{name: "report cost", synopsis: "[--team T] [--as-of T] [--year Y] [--csv FILE]", output: true,
		summary: "What a year's certificates cost by month, team and CA, and the projected renewals of the next\n" +
			"12 months, at ledgerd's price table (-report-prices).",
		example: "ledgerctl report cost --year 2026 --csv cost.csv", run: reportCost},
	{name: "report pqc", synopsis: "[--team T] [--as-of T] [--harvest-date YYYY-MM-DD] [--csv FILE]", output: true,
		summary: "Post-quantum readiness: valid certificates by key type, the quantum-vulnerable ones still valid\n" +
			"after the harvest-now-decrypt-later date (default 2030-01-01), and each team's score.",
		example: "ledgerctl report pqc --harvest-date 2030-01-01", run: reportPQC},
}}

// reportFlags are the filters of the reports, each sent only when set.
type reportFlags struct {
	q       client.ReportQuery
	csvFile string
}

// reportParams maps the filter flags to their query parameters.
var reportParams = map[string]string{"team": "team", "group-by": "group_by", "ca": "ca_id", "profile": "profile",
	"pending-days": "pending_days", "year": "year", "harvest-date": "harvest_date", "as-of": "as_of"}

// parse registers --team, --as-of, the given filter flags and --csv, then parses the command line.
func (f *reportFlags) parse(cmd *command, names ...string) bool {
	values := map[string]*string{}
	for _, n := range append([]string{"team", "as-of"}, names...) {
		usage := "only this `" + n + "`"
		if n == "as-of" {
			usage = "the report as it was at `T`: a position of $all or an RFC 3339 time (replayed on demand)"
		}
		values[n] = cmd.fs.String(n, "", usage)
	}
	cmd.fs.StringVar(&f.csvFile, "csv", "", "write the report as CSV to `FILE` (- for stdout)")
	if !cmd.parse(0) {
		return false
	}
	f.q = client.ReportQuery{}
	for n, v := range values {
		f.q[reportParams[n]] = *v
	}
	return true
}

// options are the command's request options and, with --as-of, a progress bar on stderr while
// the ledger replays that moment.
func (f *reportFlags) options(cmd *command) []client.RequestOption {
	if f.q["as_of"] == "" {
		return cmd.options()
	}
	bar := &progressBar{out: cmd.stderr, label: "replay as of " + f.q["as_of"], inPlace: isTerminal(cmd.stderr)}
	return append(cmd.options(), client.AsOfProgress(func(p wire.ReplayProgress) { bar.update(p.EventsDone, p.EventsTotal, 0) }))
}

// asOfLine says which past moment a report shows, when it was asked --as-of one.
func asOfLine(w io.Writer, m *wire.ReportMoment) {
	if m != nil {
		fmt.Fprintf(w, "As of %s: position %d of $all, %s\n", m.AsOf, m.Position, m.Time.Format(time.RFC3339))
	}
}

// csv writes the report as CSV when --csv was given, and reports whether it did.
func (f *reportFlags) csv(ctx context.Context, cmd *command, report string) (int, bool) {
	if f.csvFile == "" {
		return 0, false
	}
	out := f.csvFile
	if out == "-" {
		out = ""
	}
	data, err := cmd.api.ReportCSV(ctx, report, f.q, f.options(cmd)...)
	return cmd.save(data, err, out), true
}

func reportExpiry(ctx context.Context, cmd *command) int {
	var f reportFlags
	if !f.parse(cmd, "group-by") {
		return cmd.exit
	}
	if code, done := f.csv(ctx, cmd, "expiry"); done {
		return code
	}
	r, err := cmd.api.ExpiryReport(ctx, f.q, f.options(cmd)...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error {
		asOfLine(w, r.AsOf)
		fmt.Fprintf(w, "Expiry by %s, as of %s (UTC days)\n", r.GroupBy, r.Today)
		t := newTable(w, "KEY", "NAME", "EXPIRED", "≤7 DAYS", "≤30 DAYS", "≤90 DAYS", "LATER", "TOTAL")
		for _, g := range r.Groups {
			t.row(g.Key, g.Name, fmt.Sprint(g.Expired), fmt.Sprint(g.Within7Days), fmt.Sprint(g.Within30Days),
				fmt.Sprint(g.Within90Days), fmt.Sprint(g.Later), fmt.Sprint(g.Total))
		}
		return t.flush()
	})
}

func reportCompliance(ctx context.Context, cmd *command) int {
	var f reportFlags
	if !f.parse(cmd, "ca", "profile", "pending-days") {
		return cmd.exit
	}
	if code, done := f.csv(ctx, cmd, "compliance"); done {
		return code
	}
	r, err := cmd.api.ComplianceReport(ctx, f.q, f.options(cmd)...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error {
		asOfLine(w, r.AsOf)
		t := newTable(w, "TEAM", "CERTIFICATES", "WITH FINDINGS", "SCORE")
		for _, s := range r.Teams {
			t.row(s.Team, fmt.Sprint(s.Certificates), fmt.Sprint(s.WithFindings), fmt.Sprintf("%.1f%%", 100*s.Score))
		}
		if err := t.flush(); err != nil {
			return err
		}
		fmt.Fprintln(w)
		t = newTable(w, "TEAM", "RULE", "SEVERITY", "COUNT")
		for _, x := range r.Findings {
			t.row(x.Team, x.Rule, x.Severity, fmt.Sprint(x.Count))
		}
		return t.flush()
	})
}

func reportCost(ctx context.Context, cmd *command) int {
	var f reportFlags
	if !f.parse(cmd, "year") {
		return cmd.exit
	}
	if code, done := f.csv(ctx, cmd, "cost"); done {
		return code
	}
	r, err := cmd.api.CostReport(ctx, f.q, f.options(cmd)...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error {
		asOfLine(w, r.AsOf)
		fmt.Fprintf(w, "Cost of %d: %s %s; renewals of the next 12 months: %s %s\n", r.Year, r.YearTotal, r.Currency, r.RenewalTotal, r.Currency)
		t := newTable(w, "KIND", "MONTH", "TEAM", "CA", "CERTIFICATES", "AMOUNT")
		for _, part := range []struct {
			kind  string
			lines []client.CostLine
		}{{"year", r.Yearly}, {"issued", r.Monthly}, {"renewal", r.Renewals}} {
			for _, l := range part.lines {
				t.row(part.kind, l.Month, l.Team, l.CAName, fmt.Sprint(l.Certificates), l.Amount)
			}
		}
		return t.flush()
	})
}
