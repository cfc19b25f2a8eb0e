package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/adapters/tlsscan"
	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/api/wire"
)

var discoverCommands = group{name: "discover", summary: "discovery: scan for certificates and list what scans found", commands: []spec{
	{name: "discover scan", synopsis: "--scope NAME --target SPEC… [--port P…] [--sni NAME…]", output: true, write: true,
		summary: "Scan TLS endpoints from this machine and record what each showed as one scan of the scope.\n" +
			"A target is host:port, a host or address (scanned on every --port) or a CIDR range. The scope's\n" +
			"latest scan is its truth: endpoints its previous scan saw and this one does not are recorded as\n" +
			"absent. Shows a progress bar on a terminal, then what the scan found.",
		example: "ledgerctl discover scan --scope dmz --target 10.0.0.0/28 --target www.example.com:443 --port 443 --port 8443",
		run:     discoverScan},
	{name: "discover files", synopsis: "--scope NAME --root DIR… [--password P…]", output: true, write: true,
		summary: "Read the certificate files under the roots on this host (PEM, DER, PKCS#7, PKCS#12, JKS; symlinks\n" +
			"out of the roots are refused) and record them as one scan of the scope, located by host and path.\n" +
			"Passwords (and the empty one) are tried on PKCS#12 files and Java keystores.",
		example: "ledgerctl discover files --scope web-01 --root /etc/ssl --root /opt/app/keystores --password changeit",
		run:     discoverFiles},
	{name: "discover list", synopsis: "[--classification managed|known_external|shadow] [--finding F] [--scope S] [--limit N]", output: true,
		summary: "List discovered certificates: managed (the ledger issued them, or adopted), known_external (they\n" +
			"chain to a CA ledgerd's LEDGER_EXTERNAL_CAS names) or shadow, with their findings.",
		example: "ledgerctl discover list --classification shadow --finding weak_key", run: discoverList},
	{name: "discover adopt", synopsis: "<fingerprint> --team T --profile P [--owner O]", output: true, write: true,
		summary: "Take a discovered certificate (by its SHA-256 fingerprint) under management: the team owns it,\n" +
			"under the profile, and the list shows it managed. SEC_OPS.",
		example: "ledgerctl discover adopt 3f2a…c9 --team web --owner ops@example.com --profile web", run: discoverAdopt},
}}

// scanFlags are what a scan covers and how hard it knocks.
type scanFlags struct {
	scope             string
	targets, sni      stringList
	ports             stringList
	concurrency       int
	connectTimeoutSec float64
}

func discoverScan(ctx context.Context, cmd *command) int {
	var f scanFlags
	cmd.fs.StringVar(&f.scope, "scope", "", "the scope `NAME` this scan covers, such as dmz or prod-web")
	cmd.fs.Var(&f.targets, "target", "`SPEC`: host:port, host, address or CIDR range; repeatable")
	cmd.fs.Var(&f.ports, "port", "`PORT` for targets without one; repeatable (default 443)")
	cmd.fs.Var(&f.sni, "sni", "also ask every target for server `NAME`; repeatable")
	cmd.fs.IntVar(&f.concurrency, "concurrency", 64, "connections open at once")
	cmd.fs.Float64Var(&f.connectTimeoutSec, "connect-timeout", 5, "seconds from dial to the end of one handshake")
	if !cmd.parse(0) || !cmd.need("--scope", f.scope) {
		return cmd.exit
	}
	targets, err := f.expand()
	if err != nil {
		cmd.usageError("%v", err)
		return cmd.exit
	}
	report := wire.ScanReport{ScanID: uuid.NewString(), Scope: f.scope, Source: "ledgerctl", StartedAt: time.Now().UTC()}
	bar := &progressBar{out: cmd.stderr, label: "scan", inPlace: isTerminal(cmd.stderr), unit: "endpoints"}
	start := time.Now()
	scanner := tlsscan.Scanner{Concurrency: f.concurrency, Timeout: time.Duration(f.connectTimeoutSec * float64(time.Second))}
	sum := scanner.Scan(ctx, targets, func(r tlsscan.Result) {
		report.Sightings = append(report.Sightings, sightingOf(r))
		done := uint64(len(report.Sightings))
		bar.update(done, uint64(len(targets)), float64(done)/max(time.Since(start).Seconds(), 1e-3))
	})
	bar.finish()
	report.FinishedAt = time.Now().UTC()
	if ctx.Err() != nil {
		fmt.Fprintln(cmd.stderr, "ledgerctl: the scan was interrupted; nothing was recorded")
		return exitFailure
	}
	got, err := cmd.api.RecordScan(ctx, report, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return scanSummary(w, got, sum) })
}

// expand turns the flags into the scan's targets.
func (f scanFlags) expand() ([]tlsscan.Target, error) {
	if len(f.targets) == 0 {
		return nil, fmt.Errorf("missing --target")
	}
	ports := []int{443}
	if len(f.ports) > 0 {
		ports = nil
		for _, p := range f.ports {
			n, err := strconv.Atoi(p)
			if err != nil {
				return nil, fmt.Errorf("--port %q is not a number", p)
			}
			ports = append(ports, n)
		}
	}
	return tlsscan.ParseTargets(f.targets, ports, f.sni, 0)
}

// sightingOf is a scan result as the ledger records it.
func sightingOf(r tlsscan.Result) wire.Sighting {
	host, name := r.Target.Address, r.Target.ServerName
	return wire.Sighting{Location: wire.Location{Kind: "network", Address: host, ServerName: name}, Outcome: string(r.Outcome),
		Chain: r.Chain, TLSVersion: r.VersionName(), CipherSuite: r.CipherSuiteName()}
}

// scanSummary prints what the ledger recorded and the scan's outcomes.
func scanSummary(w io.Writer, got wire.ScanResult, sum tlsscan.Summary) error {
	if err := printFields(w, "Scope", got.Scope, "Scan", got.ScanID, "Endpoints", fmt.Sprint(sum.Targets),
		"Elapsed", sum.Elapsed.Round(time.Millisecond).String(), "New certificates", fmt.Sprint(got.New),
		"Changed endpoints", fmt.Sprint(got.Changed)); err != nil {
		return err
	}
	counts := map[string]int{}
	for o, n := range sum.Outcomes {
		counts[string(o)] = n
	}
	return outcomeTable(w, "ENDPOINTS", counts)
}

// outcomeTable prints how many endpoints or files (unit) ended in each outcome, after a blank line.
func outcomeTable(w io.Writer, unit string, counts map[string]int) error {
	fmt.Fprintln(w)
	t := newTable(w, "OUTCOME", unit)
	for _, o := range slices.Sorted(maps.Keys(counts)) {
		t.row(o, fmt.Sprint(counts[o]))
	}
	return t.flush()
}

func discoverList(ctx context.Context, cmd *command) int {
	var f client.DiscoveredFilter
	var limit int
	cmd.fs.StringVar(&f.Classification, "classification", "", "managed, known_external or shadow")
	cmd.fs.StringVar(&f.Finding, "finding", "", "only certificates with this `FINDING` (weak_key, expired, …)")
	cmd.fs.StringVar(&f.Scope, "scope", "", "only certificates a location of this `SCOPE` shows")
	cmd.fs.IntVar(&limit, "limit", 100, "at most `N` certificates")
	if !cmd.parse(0) {
		return cmd.exit
	}
	page, err := cmd.api.ListDiscovered(ctx, f, "", limit, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error {
		t := newTable(w, "FINGERPRINT", "CLASS", "SUBJECT", "NOT AFTER", "KEY", "SERVED AT", "FINDINGS", "OWNED BY")
		for _, c := range page.Items {
			owner := c.KnownExternalCA
			if c.Adoption != nil {
				owner = c.Adoption.Team + " (" + c.Adoption.Profile + ")"
			}
			t.row(c.Fingerprint[:16], c.Classification, c.Subject, c.NotAfter.Format(time.DateOnly), c.KeyType,
				fmt.Sprint(c.ServedAt), strings.Join(c.Findings, ","), owner)
		}
		return t.flush()
	})
}
