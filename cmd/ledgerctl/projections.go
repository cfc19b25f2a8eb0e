package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/infra/migrations"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/access"
	"github.com/certledger/certledger/projections/audit"
	"github.com/certledger/certledger/projections/pki"
	"github.com/certledger/certledger/projections/signing"
)

const defaultDatabase = "postgres://127.0.0.1:5432/test?sslmode=disable"

// projectionsCommand runs `projections status` and `projections rebuild [name]` against the
// read models in Postgres and the event store.
func projectionsCommand(ctx context.Context, sub string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("projections "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("eventstore-url", "", "event store connection string")
	dbURL := fs.String("database-url", "", "Postgres of the read models (default $DATABASE_URL or "+defaultDatabase+")")
	output := fs.String("o", "table", "status output: table or json")
	if err := fs.Parse(args); err != nil {
		return exitFailure
	}
	runner, closeAll, err := openRunner(ctx, *url, *dbURL)
	if err != nil {
		fmt.Fprintf(stderr, "ledgerctl: projections %s: %v\n", sub, err)
		return exitFailure
	}
	defer closeAll()
	if sub == "status" {
		return projectionStatus(ctx, runner, *output, stdout, stderr)
	}
	names := fs.Args()
	if len(names) == 0 {
		names = []string{pki.Name, access.Name, audit.Name, signing.Name}
	}
	for _, name := range names {
		bar := &progressBar{out: stderr, label: name, inPlace: isTerminal(stderr)}
		err := runner.Rebuild(ctx, name, bar.update)
		bar.finish()
		if err != nil {
			fmt.Fprintf(stderr, "ledgerctl: rebuild %s: %v\n", name, err)
			return exitFailure
		}
		fmt.Fprintf(stdout, "rebuilt %s\n", name)
	}
	return exitOK
}

// openRunner connects to the event store and Postgres and makes a runner of the ledger's
// projections, without running them.
func openRunner(ctx context.Context, storeFlag, dbFlag string) (*projections.Runner, func(), error) {
	store, err := eventstore.Connect(storeURL(storeFlag))
	if err != nil {
		return nil, nil, err
	}
	dbURL := firstNonEmpty(dbFlag, os.Getenv("DATABASE_URL"), defaultDatabase)
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		store.Close()
		return nil, nil, fmt.Errorf("Postgres: %w", err)
	}
	closeAll := func() { pool.Close(); store.Close() }
	if err := migrations.Migrate(ctx, pool); err != nil {
		closeAll()
		return nil, nil, err
	}
	p, err := pki.New()
	if err == nil {
		var runner *projections.Runner
		if runner, err = projections.NewRunner(pool, store, []projections.Projection{p, access.New(), audit.New(), signing.New()}); err == nil {
			return runner, closeAll, nil
		}
	}
	closeAll()
	return nil, nil, err
}

func projectionStatus(ctx context.Context, runner *projections.Runner, output string, stdout, stderr io.Writer) int {
	statuses, err := runner.Status(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "ledgerctl: projections status: %v\n", err)
		return exitFailure
	}
	if output == "json" {
		_ = json.NewEncoder(stdout).Encode(statuses)
		return exitOK
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tPOSITION\tLAG\tERROR")
	for _, s := range statuses {
		fmt.Fprintf(w, "%s\t%d\t%d\t%s\n", s.Name, s.Position, s.Lag, s.Error)
	}
	_ = w.Flush()
	return exitOK
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// isTerminal tells whether w is a character device, where a progress bar can redraw in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
