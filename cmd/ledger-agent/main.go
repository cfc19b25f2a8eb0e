// Command ledger-agent is the ledger's daemon on a host. It enrolls once with a join token
// (ledger-agent enroll), then runs (ledger-agent run --config host.json): it reports heartbeats
// and deploys the certificates the ledger asks for, speaking mTLS with its client certificate.
//
// Invariants:
//   - Keys are made on the host and never leave it: the agent's own key (agent.key, 0600), and
//     each deployment's key, kept 0600 in the agent's state directory until the deployment ends.
//   - What the agent may do is the host's configuration: it writes only under allowed_roots
//     (symlinks resolved; adapters/certinstall refuses anything else) and runs only the hooks
//     host.json names. A task naming another path or an unknown hook is refused and reported.
//   - A deployment ends once: installed atomically with a journal, verified (read back, and
//     served by the endpoint when one is named), then committed and reported succeeded; any
//     failure rolls back and is reported failed. After a crash the agent rolls back what a
//     journal left and reports it failed before it takes any task; a task whose certificate was
//     issued but never installed resumes with the key it kept and gets the same certificate.
//   - The agent polls its tasks from a position, long-polling, with backoff on errors, so a
//     restart of ledgerd or a network cut loses no task: the tasks are the ledger's events.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is the agent's version, reported with its heartbeats.
var version = "0.1.0"

const usage = `ledger-agent enrolls with the ledger once, then deploys certificates on this host.

  ledger-agent enroll --url URL --join-token clj_… [--ca-file ledger-ca.pem] [--dir DIR] [--host NAME]
      Make the agent's key here (DIR/agent.key, 0600), send its CSR with the one-time join
      token, keep the client certificate (DIR/agent.pem).
  ledger-agent run --config host.json
      Report heartbeats and deploy the certificates the ledger asks for, within the host's
      allowed roots and hooks. host.json:
        {"url": "https://ledger:8443", "ca_file": "ledger-ca.pem", "dir": "/var/lib/ledger-agent",
         "allowed_roots": ["/etc/nginx/tls"], "hooks": {"nginx": ["systemctl", "reload", "nginx"]},
         "keystore_password": "changeit", "heartbeat": "30s"}
  ledger-agent version
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "enroll":
		err = enroll(ctx, args[1:], stdout)
	case "run":
		fs := flag.NewFlagSet("run", flag.ContinueOnError)
		path := fs.String("config", "host.json", "the host's configuration")
		if err = fs.Parse(args[1:]); err == nil {
			err = serve(ctx, *path, stderr)
		}
	case "version":
		fmt.Fprintln(stdout, version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprint(stderr, usage)
		return 2
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "ledger-agent:", err)
		return 1
	}
	return 0
}
