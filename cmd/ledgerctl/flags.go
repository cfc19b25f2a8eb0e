package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/certledger/certledger/api/client"
)

// defaultURL is the ledger the API commands call without --url or LEDGER_URL.
const defaultURL = "http://127.0.0.1:8080"

// spec describes one API command: its help, the flags it takes beyond the common ones, and
// what it runs.
type spec struct {
	name     string // "cert revoke"
	synopsis string // arguments and main flags, such as "ID --reason REASON"
	summary  string // what it does, a sentence or a few
	example  string
	output   bool // prints a resource: takes -o table|json
	write    bool // runs a command: takes --idempotency-key
	ifMatch  bool // the route honours If-Match: takes --if-match
	run      func(ctx context.Context, cmd *command) int
}

// command is one run of an API command: its flags, its client, and what it prints to.
type command struct {
	spec
	fs             *flag.FlagSet
	args           []string // the command line after the command's name
	pos            []string // positional arguments, after parse
	stdout, stderr io.Writer
	api            *client.Client
	raw            client.Response // the last answer, for -o json
	url, token     string
	tokenFile      string
	output         string
	timeout        time.Duration
	idempotencyKey string
	ifMatchRev     string  // --if-match as given
	precondition   *uint64 // --if-match as parsed
	exit           int     // the exit code when parse or need stop the command
}

// newCommand prepares a command's flag set with the common flags.
func newCommand(s spec, args []string, stdout, stderr io.Writer) *command {
	cmd := &command{spec: s, fs: flag.NewFlagSet("ledgerctl "+s.name, flag.ContinueOnError), args: args, stdout: stdout, stderr: stderr}
	cmd.fs.SetOutput(io.Discard) // parse reports flag errors and prints the help itself
	cmd.fs.Usage = func() {}
	cmd.fs.StringVar(&cmd.url, "url", "", "base `URL` of the ledger (default $LEDGER_URL, else "+defaultURL+")")
	cmd.fs.StringVar(&cmd.token, "token", "", "bearer `TOKEN` (default $LEDGER_TOKEN)")
	cmd.fs.StringVar(&cmd.tokenFile, "token-file", "", "`FILE` holding the bearer token, such as ./data/admin.token")
	cmd.fs.DurationVar(&cmd.timeout, "timeout", client.DefaultTimeout, "how long one request may take, as a `DURATION`")
	if s.output {
		cmd.fs.StringVar(&cmd.output, "o", "table", "output `FORMAT`: table, or json for the API's JSON")
	}
	if s.write {
		cmd.fs.StringVar(&cmd.idempotencyKey, "idempotency-key", "", "`KEY` that makes a retry of this command append nothing twice")
	}
	if s.ifMatch {
		cmd.fs.StringVar(&cmd.ifMatchRev, "if-match", "", "run only if the resource is still at revision `REV` (as show prints it); else exit 1 (412)")
	}
	return cmd
}

// parse reads the flags, which may come before or after the n positional arguments, and makes
// the client. It prints the help and sets exit 0 for --help; bad usage sets exit 2.
func (cmd *command) parse(n int) bool {
	args := cmd.args
	for {
		err := cmd.fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			cmd.exit = exitOK
			cmd.help(cmd.stdout)
			return false
		}
		if err != nil {
			return cmd.usageError("%v", err)
		}
		rest := cmd.fs.Args()
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			cmd.pos = append(cmd.pos, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		cmd.pos, args = append(cmd.pos, rest[0]), rest[1:]
	}
	switch {
	case len(cmd.pos) < n:
		return cmd.usageError("missing %s", strings.Fields(cmd.synopsis)[0])
	case len(cmd.pos) > n:
		return cmd.usageError("unexpected argument %q", cmd.pos[n])
	case cmd.output != "" && cmd.output != "table" && cmd.output != "json":
		return cmd.usageError("-o is table or json, not %q", cmd.output)
	case cmd.ifMatchRev != "":
		rev, err := strconv.ParseUint(strings.Trim(cmd.ifMatchRev, `"`), 10, 64)
		if err != nil {
			return cmd.usageError("--if-match takes a revision number, not %q", cmd.ifMatchRev)
		}
		cmd.precondition = &rev
	}
	token, err := cmd.bearerToken()
	if err != nil {
		return cmd.usageError("%v", err)
	}
	cmd.api = client.New(firstNonEmpty(cmd.url, os.Getenv("LEDGER_URL"), defaultURL), token, client.WithTimeout(cmd.timeout))
	return true
}

// bearerToken is --token, else the content of --token-file, else $LEDGER_TOKEN.
func (cmd *command) bearerToken() (string, error) {
	if cmd.token != "" || cmd.tokenFile == "" {
		return firstNonEmpty(cmd.token, os.Getenv("LEDGER_TOKEN")), nil
	}
	raw, err := os.ReadFile(cmd.tokenFile)
	if err != nil {
		return "", fmt.Errorf("--token-file: %w", err)
	}
	return strings.TrimSpace(string(raw)), nil
}

// arg is the i-th positional argument.
func (cmd *command) arg(i int) string { return cmd.pos[i] }

// need checks that required flags are set; pairs are flag name, value.
func (cmd *command) need(pairs ...string) bool {
	var missing []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			missing = append(missing, pairs[i])
		}
	}
	if len(missing) > 0 {
		return cmd.usageError("%s required", strings.Join(missing, ", "))
	}
	return true
}

// usageError reports bad usage and sets exit 2; it returns false, for parse and need.
func (cmd *command) usageError(format string, args ...any) bool {
	fmt.Fprintf(cmd.stderr, "ledgerctl %s: %s\nRun 'ledgerctl %s --help' for its flags and an example.\n",
		cmd.name, fmt.Sprintf(format, args...), cmd.name)
	cmd.exit = exitFailure
	return false
}

// options are the request options of the command's flags, capturing the answer into raw.
func (cmd *command) options() []client.RequestOption {
	opts := []client.RequestOption{client.Capture(&cmd.raw)}
	if cmd.idempotencyKey != "" {
		opts = append(opts, client.IdempotencyKey(cmd.idempotencyKey))
	}
	if cmd.precondition != nil {
		opts = append(opts, client.IfMatch(*cmd.precondition))
	}
	return opts
}

// fail reports a failed call: exit 1 when the server refused the request (4xx), else 2 (the
// server unreachable, or failing with 5xx).
func (cmd *command) fail(err error) int {
	fmt.Fprintf(cmd.stderr, "ledgerctl %s: %v\n", cmd.name, err)
	var apiErr *client.Error
	if !errors.As(err, &apiErr) || apiErr.Status < 400 || apiErr.Status > 499 {
		return exitFailure
	}
	if apiErr.Status == 401 && cmd.token == "" && cmd.tokenFile == "" && os.Getenv("LEDGER_TOKEN") == "" {
		fmt.Fprintln(cmd.stderr, "No token was given: use --token, --token-file or LEDGER_TOKEN.")
	}
	return exitRefused
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// timeFlag is a time given as RFC 3339, or as a duration from now such as 720h or -24h.
type timeFlag struct{ t time.Time }

func (f *timeFlag) String() string { return stamp(f.t) }

func (f *timeFlag) Set(v string) error {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		f.t = t
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return fmt.Errorf("%q is neither an RFC 3339 time (2030-01-02T15:04:05Z) nor a duration from now (720h)", v)
	}
	f.t = time.Now().Add(d)
	return nil
}

// ptr is the time, or nil when the flag was not given.
func (f *timeFlag) ptr() *time.Time {
	if f.t.IsZero() {
		return nil
	}
	return &f.t
}
