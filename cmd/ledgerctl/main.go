// Command ledgerctl is the ledger's command-line client. This version reads the event store
// directly: `events tail` shows the ledger's events and `audit verify` checks every stream's hash
// chain.
//
// Exit codes: 0 success; 1 the audit found a broken chain; 2 bad usage or the store unreachable.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/certledger/certledger/adapters/eventstore"
)

// Exit codes scripts can rely on.
const (
	exitOK       = 0
	exitBroken   = 1
	exitFailure  = 2
	defaultStore = "esdb://127.0.0.1:2113?tls=false"
)

const usage = `ledgerctl — the certificate ledger's command-line client

Usage:
  ledgerctl events tail [--follow] [-n N] [--eventstore-url URL]
      Print the newest N ledger events (default 20); with --follow keep printing new ones.
  ledgerctl audit verify [--quiet] [--eventstore-url URL]
      Check the hash chain of every ledger stream in the event store. Exits 1 and names the
      stream and revision of the first break when the history was altered.

  ledgerctl projections status [-o table|json] [--database-url URL]
      Show each read model's checkpoint position in $all and how far it lags behind.
  ledgerctl projections rebuild [name…]
      Replay a read model (default: pki) from position 0 into fresh tables, then swap them in,
      with a progress bar (events/s, ETA); readers see the old tables until the swap.

Environment:
  LEDGER_EVENTSTORE_URL   the event store (default ` + defaultStore + `)
  DATABASE_URL            Postgres of the read models (default ` + defaultDatabase + `)
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one ledgerctl command line and returns its exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) < 2 {
		fmt.Fprint(stderr, usage)
		if len(args) == 1 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
			return exitOK
		}
		return exitFailure
	}
	switch args[0] + " " + args[1] {
	case "events tail":
		return tail(ctx, args[2:], stdout, stderr)
	case "audit verify":
		return verify(ctx, args[2:], stdout, stderr)
	case "projections status", "projections rebuild":
		return projectionsCommand(ctx, args[1], args[2:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "ledgerctl: unknown command %q\n\n%s", args[0]+" "+args[1], usage)
	return exitFailure
}

// connect opens the event store a command talks to: its flag, else the environment, else the
// default. It reports a failure on stderr.
func connect(flagValue string, stderr io.Writer) (*eventstore.Store, bool) {
	store, err := eventstore.Connect(storeURL(flagValue))
	if err != nil {
		fmt.Fprintf(stderr, "ledgerctl: %v\n", err)
		return nil, false
	}
	return store, true
}

// storeURL is the event store a command talks to: its flag, else the environment, else the default.
func storeURL(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if env := os.Getenv("LEDGER_EVENTSTORE_URL"); env != "" {
		return env
	}
	return defaultStore
}
