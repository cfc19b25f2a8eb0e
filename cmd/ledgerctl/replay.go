package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/certledger/certledger/projections"
)

const replayUsage = `Usage: ledgerctl audit replay --as-of TIME|POSITION --schema NAME [--replace] [name…]

Replay read models (default: all of them) from position 0 up to a moment of the ledger into a
Postgres schema of their own, to query the ledger as it was then with plain SQL. The live read
models (rm_*) and their checkpoints are not touched. --as-of is an RFC 3339 time (every event the
store recorded at or before it) or a position in $all (inclusive). The schema holds each read
model's tables and replay_info, which says the moment it shows; an existing schema is refused
unless --replace is given and an earlier replay made it. See docs/audit.md.

Example: ledgerctl audit replay --as-of 2026-11-20T00:00:00Z --schema asof_20261120

Flags:
`

// auditReplay runs `audit replay`: a point-in-time replay into a schema of its own.
func auditReplay(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("audit replay", flag.ContinueOnError)
	asOfFlag := fs.String("as-of", "", "the moment: an RFC 3339 `TIME` or a POSITION in $all (required)")
	schema := fs.String("schema", "", "the Postgres schema to write, a new lowercase `NAME` (required)")
	replace := fs.Bool("replace", false, "drop and rebuild the schema if an earlier replay made it")
	url := fs.String("eventstore-url", "", "event store connection string")
	dbURL := fs.String("database-url", "", "Postgres of the read models (default $DATABASE_URL or "+defaultDatabase+")")
	names, code, ok := parseInterspersed(fs, replayUsage, args, stdout, stderr)
	if !ok {
		return code
	}
	asOf, err := parseAsOf(*asOfFlag)
	if err == nil {
		err = projections.CheckReplaySchema(*schema)
	}
	if err != nil {
		fmt.Fprintf(stderr, "ledgerctl audit replay: %v\nRun 'ledgerctl audit replay --help' for its flags and an example.\n", err)
		return exitFailure
	}
	runner, closeAll, err := openRunner(ctx, *url, *dbURL)
	if err != nil {
		fmt.Fprintf(stderr, "ledgerctl: audit replay: %v\n", err)
		return exitFailure
	}
	defer closeAll()
	var opts []projections.ReplayOption
	if *replace {
		opts = append(opts, projections.ReplaceSchema())
	}
	bar := &progressBar{out: stderr, label: "replay", inPlace: isTerminal(stderr)}
	got, err := runner.ReplayAsOf(ctx, names, asOf, *schema, bar.update, opts...)
	bar.finish()
	if err != nil {
		fmt.Fprintf(stderr, "ledgerctl: audit replay: %v\n", err)
		return exitFailure
	}
	writeReplaySummary(stdout, got)
	return exitOK
}

// parseInterspersed parses flags that may come before, between or after the positional
// arguments, and returns those. --help prints usage and the flags to stdout and stops with
// exit 0; a bad flag stops with exit 2.
func parseInterspersed(fs *flag.FlagSet, usage string, args []string, stdout, stderr io.Writer) (pos []string, code int, ok bool) {
	fs.SetOutput(stderr)
	fs.Usage = func() {} // the flag package reports the bad flag; the hint follows
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return nil, exitOK, false
		}
		if err != nil {
			fmt.Fprintf(stderr, "Run 'ledgerctl %s --help' for its flags and an example.\n", fs.Name())
			return nil, exitFailure, false
		}
		if fs.NArg() == 0 {
			return pos, exitOK, true
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
}

// parseAsOf reads --as-of: a position in $all (digits) or an RFC 3339 time.
func parseAsOf(v string) (projections.AsOf, error) {
	if v == "" {
		return projections.AsOf{}, errors.New("--as-of is required")
	}
	at, err := projections.ParseAsOf(v)
	if err != nil {
		return projections.AsOf{}, fmt.Errorf("--as-of %w", err)
	}
	return at, nil
}

// writeReplaySummary says what the replay wrote and how to read it.
func writeReplaySummary(w io.Writer, got projections.Replayed) {
	moment := "no event yet"
	if !got.Time.IsZero() {
		moment = got.Time.UTC().Format(time.RFC3339Nano)
	}
	var tables []string
	for _, p := range got.Projections {
		for _, t := range p.Tables {
			tables = append(tables, got.Schema+"."+t)
		}
	}
	tables = append(tables, got.Schema+".replay_info")
	_ = printFields(w,
		"Schema", got.Schema,
		"As of", got.AsOf.String(),
		"As-of position", strconv.FormatUint(got.Position, 10),
		"As-of time", moment,
		"Events replayed", fmt.Sprintf("%d per read model (%s, %.0f events/s)", got.Events,
			got.Duration.Round(time.Millisecond), float64(got.Events*uint64(len(got.Projections)))/max(got.Duration.Seconds(), 1e-9)),
		"Tables", strings.Join(tables, ", "))
	fmt.Fprintf(w, "\nQuery it with psql, for example:\n")
	fmt.Fprintf(w, "  psql \"$DATABASE_URL\" -c 'SELECT * FROM %s.replay_info'\n", got.Schema)
	for _, p := range got.Projections {
		for _, t := range p.Tables {
			if t == "certificates" {
				fmt.Fprintf(w, "  psql \"$DATABASE_URL\" -c 'SELECT status, count(*) FROM %s.certificates GROUP BY status'\n", got.Schema)
				fmt.Fprintf(w, "  psql \"$DATABASE_URL\" -c 'SELECT ca_id, serial, revoked_at, reason FROM %s.revocations ORDER BY revoked_at'\n", got.Schema)
			}
		}
	}
	fmt.Fprintf(w, "  psql \"$DATABASE_URL\" -c 'DROP SCHEMA %s CASCADE'   # when done\n", got.Schema)
}
