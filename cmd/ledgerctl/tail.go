package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/events"
)

// cloudEventSource is the CloudEvents source of the events tail prints, as the API's stream has it.
const cloudEventSource = "urn:certledger"

var eventsTailSpec = spec{name: "events tail", output: true,
	synopsis: "[-n N] [--follow] [--type PREFIX]… [--stream PREFIX]… [--eventstore-url URL]",
	summary: "Print the newest N ledger events (default 20) — position, time, stream@revision, type, actor and\n" +
		"hash — and with --follow keep printing new ones until interrupted, reconnecting after a dropped\n" +
		"connection without missing or repeating an event. It reads the API's event stream, which VIEWER,\n" +
		"SEC_OPS and ADMIN may read; --type and --stream keep the events whose type or stream name starts\n" +
		"with a prefix. -o json prints each event as a CloudEvent, one JSON object per line. With\n" +
		"--eventstore-url, or LEDGER_EVENTSTORE_URL and no token, it reads the event store directly instead.",
	example: "ledgerctl events tail -n 50 --follow --type Certificate", run: eventsTail}

func eventsTail(ctx context.Context, cmd *command) int {
	follow := cmd.fs.Bool("follow", false, "keep printing new events until interrupted")
	cmd.fs.BoolVar(follow, "f", false, "short for --follow")
	n := cmd.fs.Int("n", 20, "how many of the newest events to print first (at most 10000)")
	var types, streams stringList
	cmd.fs.Var(&types, "type", "only events whose type starts with `PREFIX`, such as Certificate (repeatable)")
	cmd.fs.Var(&streams, "stream", "only events whose stream name starts with `PREFIX`, such as ca- (repeatable)")
	storeURL := cmd.fs.String("eventstore-url", "", "read the event store at `URL` directly instead of the API")
	if !cmd.parse(0) {
		return cmd.exit
	}
	if *n < 0 {
		cmd.usageError("-n takes a number of events, not %d", *n)
		return cmd.exit
	}
	if url := cmd.directStore(*storeURL); url != "" {
		if len(types) > 0 || len(streams) > 0 {
			cmd.usageError("--type and --stream filter the API's event stream; read from the event store, every event is printed")
			return cmd.exit
		}
		return tailStore(ctx, cmd, url, uint64(*n), *follow)
	}
	opts := client.TailOptions{Last: *n, Types: types, Streams: streams, Follow: *follow,
		OnReconnect: func(err error) {
			fmt.Fprintf(cmd.stderr, "ledgerctl %s: connection lost, reconnecting: %v\n", cmd.name, err)
		}}
	err := cmd.api.Tail(ctx, opts, func(ce events.CloudEvent, position uint64) error {
		var err error
		if cmd.output == "json" {
			err = printCloudEvent(cmd.stdout, ce)
		} else {
			_, err = fmt.Fprintln(cmd.stdout, formatCloudEvent(ce, position))
		}
		if err != nil {
			return fmt.Errorf("writing the output: %w", err)
		}
		return nil
	})
	if err == nil || errors.Is(err, context.Canceled) { // done, or interrupted
		return exitOK
	}
	return cmd.fail(err) // 1 when the server refused the stream, else 2
}

// directStore is the event store events tail reads directly: --eventstore-url, else
// LEDGER_EVENTSTORE_URL when no token is given; "" means the API.
func (cmd *command) directStore(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	noToken := cmd.token == "" && cmd.tokenFile == "" && os.Getenv("LEDGER_TOKEN") == ""
	if env := os.Getenv("LEDGER_EVENTSTORE_URL"); env != "" && noToken {
		return env
	}
	return ""
}

// writeFailed reports output that could not be written.
func (cmd *command) writeFailed(err error) int {
	fmt.Fprintf(cmd.stderr, "ledgerctl %s: writing the output: %v\n", cmd.name, err)
	return exitFailure
}

// formatCloudEvent is formatEvent's line for an event of the API's stream: position, time,
// stream@revision, type, actor and the start of the hash.
func formatCloudEvent(ce events.CloudEvent, position uint64) string {
	typ, err := ce.EventType()
	if err != nil {
		typ = ce.Type
	}
	hash := ce.Hash
	if len(hash) > 16 {
		hash = hash[:16]
	}
	return fmt.Sprintf("%-8d %s  %s@%s  %s  actor=%s  hash=%s", position, ce.Time.UTC().Format(time.RFC3339Nano),
		ce.Subject, ce.Revision, typ, ce.Actor, hash)
}
