// Command ledgerctl is the ledger's command-line client. The API commands (ca, profile, cert,
// signing-key, sign, token, agent, deploy, whoami, events tail) call ledgerd's REST API through package api/client; audit verify
// and projections read the event store and the read models directly, and so does events tail
// with --eventstore-url (or LEDGER_EVENTSTORE_URL and no token).
//
// The API commands find the ledger at --url, else $LEDGER_URL, else http://127.0.0.1:8080, and
// authenticate with --token, else the content of --token-file, else $LEDGER_TOKEN. They print
// tables, or with -o json the API's JSON. Every command and command group explains itself with
// --help: what it does, its flags and an example.
//
// Exit codes scripts can rely on:
//   - 0 success;
//   - 1 the server refused the request (4xx: bad input, forbidden, not found, conflict,
//     precondition failed, rate limited), or audit verify found a broken chain;
//   - 2 bad usage, or the server or store unreachable or failing (5xx).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/certledger/certledger/adapters/eventstore"
)

// Exit codes scripts can rely on.
const (
	exitOK       = 0
	exitBroken   = 1 // audit verify: a broken chain
	exitRefused  = 1 // API commands: the server refused the request (4xx)
	exitFailure  = 2 // bad usage; the server or store unreachable or failing
	defaultStore = "esdb://127.0.0.1:2113?tls=false"
)

const exitCodes = `Exit codes:
  0  success
  1  the server refused the request (4xx: bad input, forbidden, not found, conflict,
     precondition failed, rate limited); for audit verify, a broken chain or checkpoint;
     for audit verify-proof, a proof that does not verify
  2  bad usage, or the server or store unreachable or failing (5xx)
`

const storeUsage = `Event store and read models:
  ledgerctl events tail --eventstore-url URL [--follow] [-n N]
      events tail, read from the event store directly (also with LEDGER_EVENTSTORE_URL and no token).
  ledgerctl audit verify [--quiet] [--eventstore-url URL]
      Check the hash chain of every ledger stream in the event store. Exits 1 and names the
      stream and revision of the first break when the history was altered.
      It also checks every signed checkpoint (--audit-key FILE pins the key) against the Merkle
      tree it recomputes from $all, naming the first checkpoint and leaf that disagree.
  ledgerctl audit verify-proof --key audit.pem bundle.json
      Check offline, with the pinned audit key, a bundle of 'ledgerctl audit proof': the
      checkpoint's signature, its note, and the event's inclusion proof. Exits 1 naming what failed.
  ledgerctl audit replay --as-of TIME|POSITION --schema NAME [--replace] [name…]
      Replay read models (default: all) up to a moment into a schema of their own, to query the
      ledger as it was then; with a progress bar and replay_info saying the moment.
  ledgerctl audit key-usage <CA id | HSM key label> [-o table|json]
      List every event in which a CA's key signed or was used (CRL/OCSP signing is not recorded).
  ledgerctl projections status [-o table|json] [--database-url URL]
      Show each read model's checkpoint position in $all and how far it lags behind.
  ledgerctl projections rebuild [name…]
      Replay read models (default: pki, access and audit) from position 0 into fresh tables, then swap them in,
      with a progress bar (events/s, ETA); readers see the old tables until the swap.

Environment:
  LEDGER_URL              the ledger's REST API (default ` + defaultURL + `)
  LEDGER_TOKEN            bearer token of the API commands (or --token, --token-file)
  LEDGER_EVENTSTORE_URL   the event store (default ` + defaultStore + `)
  DATABASE_URL            Postgres of the read models (default ` + defaultDatabase + `)

`

// groups are the API command groups, by the first word of their commands.
var groups = []group{caCommands, profileCommands, certCommands, signingKeyCommands, signCommands, tokenCommands, discoverCommands,
	reportCommands, scepCommands, agentCommands, deployCommands, renewalCommands, acmeCommands, clusterCommands}

// stdin is where --csr - and --file - read from.
var stdin io.Reader = os.Stdin

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one ledgerctl command line and returns its exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	args = commonFlagsLast(args)
	if len(args) == 0 {
		writeUsage(stderr)
		return exitFailure
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		writeUsage(stdout)
		return exitOK
	case "whoami":
		return whoamiSpec.run(ctx, newCommand(whoamiSpec, args[1:], stdout, stderr))
	}
	for _, g := range groups {
		if g.name == args[0] {
			return g.dispatch(ctx, args[1:], stdout, stderr)
		}
	}
	switch strings.Join(args[:min(2, len(args))], " ") {
	case "events tail":
		return eventsTailSpec.run(ctx, newCommand(eventsTailSpec, args[2:], stdout, stderr))
	case "audit verify":
		return verify(ctx, args[2:], stdout, stderr)
	case "audit proof":
		return auditProofSpec.run(ctx, newCommand(auditProofSpec, args[2:], stdout, stderr))
	case "audit key":
		return auditKeySpec.run(ctx, newCommand(auditKeySpec, args[2:], stdout, stderr))
	case "audit verify-proof":
		return verifyProof(args[2:], stdout, stderr)
	case "audit replay":
		return auditReplay(ctx, args[2:], stdout, stderr)
	case "audit key-usage":
		return auditKeyUsage(ctx, args[2:], stdout, stderr)
	case "projections status", "projections rebuild":
		return projectionsCommand(ctx, args[1], args[2:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "ledgerctl: unknown command %q\n\n", strings.Join(args[:min(2, len(args))], " "))
	writeUsage(stderr)
	return exitFailure
}

// commonFlags are the flags every API command takes, which may also come before the command
// (`ledgerctl --token-file data/admin.token cert list`); each takes a value.
var commonFlags = []string{"url", "token", "token-file", "o", "timeout"}

// commonFlagsLast moves common flags given before the command to its end, where the command's
// own flag set reads them.
func commonFlagsLast(args []string) []string {
	var lead []string
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		name, _, hasValue := strings.Cut(strings.TrimLeft(args[0], "-"), "=")
		if !slices.Contains(commonFlags, name) {
			break
		}
		n := 2
		if hasValue || len(args) == 1 {
			n = 1
		}
		lead, args = append(lead, args[:n]...), args[n:]
	}
	return append(slices.Clone(args), lead...)
}

// writeUsage prints every command: the API commands from their specs, then the others.
func writeUsage(w io.Writer) {
	fmt.Fprint(w, "ledgerctl — the certificate ledger's command-line client\n\nAPI commands (against ledgerd's REST API):\n")
	line := func(s spec) {
		fmt.Fprintf(w, "  ledgerctl %s\n      %s\n", strings.TrimSpace(s.name+" "+s.synopsis), firstSentence(s.summary))
	}
	for _, g := range groups {
		for _, s := range g.commands {
			line(s)
		}
	}
	line(whoamiSpec)
	line(eventsTailSpec)
	line(auditProofSpec)
	line(auditKeySpec)
	fmt.Fprint(w, "  Common flags (before or after the command): --url URL, --token TOKEN | --token-file FILE, -o table|json, --timeout;\n"+
		"  commands take --idempotency-key KEY, and --if-match REV where the route honours it.\n"+
		"  'ledgerctl <group> --help' and 'ledgerctl <group> <command> --help' explain each one.\n\n")
	fmt.Fprint(w, storeUsage, exitCodes)
}

// group is the commands of one resource, such as cert request, cert list, ….
type group struct {
	name, summary string
	commands      []spec
}

// dispatch runs the group's command named by args[0], or prints the group's help.
func (g group) dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		g.help(stderr)
		return exitFailure
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		g.help(stdout)
		return exitOK
	}
	for _, s := range g.commands {
		if s.name == g.name+" "+args[0] {
			return s.run(ctx, newCommand(s, args[1:], stdout, stderr))
		}
	}
	fmt.Fprintf(stderr, "ledgerctl %s: unknown command %q\n\n", g.name, args[0])
	g.help(stderr)
	return exitFailure
}

func (g group) help(w io.Writer) {
	fmt.Fprintf(w, "ledgerctl %s — %s\n\nUsage: ledgerctl %s <command> [flags]\n\nCommands:\n", g.name, g.summary, g.name)
	t := newTable(w)
	for _, s := range g.commands {
		t.row("  "+strings.TrimPrefix(s.name, g.name+" "), firstSentence(s.summary))
	}
	_ = t.flush()
	fmt.Fprintf(w, "\nRun 'ledgerctl %s <command> --help' for a command's flags and an example.\n", g.name)
}

// firstSentence is the summary up to its first full stop, on one line.
func firstSentence(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
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
