package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/certledger/certledger/events"
)

// tailStore is events tail read from the event store directly, for operators without the API:
// the newest n events of $all, system events left out, then with follow the new ones, through a
// subscription that resubscribes after a dropped connection.
func tailStore(ctx context.Context, cmd *command, url string, n uint64, follow bool) int {
	store, ok := connect(url, cmd.stderr)
	if !ok {
		return exitFailure
	}
	defer store.Close()
	show := func(raw events.Raw) error { return printRaw(cmd.stdout, raw, cmd.output == "json") }

	var after uint64
	if n > 0 {
		last, err := store.ReadLast(ctx, n)
		if err != nil {
			fmt.Fprintf(cmd.stderr, "ledgerctl: events tail: %v\n", err)
			return exitFailure
		}
		for _, raw := range last {
			after = raw.Position
			if !events.IsSystemStream(raw.Stream) {
				if err := show(raw); err != nil {
					return cmd.writeFailed(err)
				}
			}
		}
	}
	if !follow {
		return exitOK
	}
	if n == 0 {
		last, err := store.ReadLast(ctx, 1)
		if err != nil {
			fmt.Fprintf(cmd.stderr, "ledgerctl: events tail: %v\n", err)
			return exitFailure
		}
		if len(last) == 1 {
			after = last[0].Position
		}
	}
	err := store.Subscribe(ctx, after, events.Subscription{
		OnDrop: func(err error) { fmt.Fprintf(cmd.stderr, "ledgerctl: connection lost, reconnecting: %v\n", err) },
	}, show)
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(cmd.stderr, "ledgerctl: events tail: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// printRaw prints a stored event as formatEvent does, or with asJSON as its CloudEvent on one
// line, as the API's stream has it: an event that is not a ledger event has none and is left out.
func printRaw(w io.Writer, raw events.Raw, asJSON bool) error {
	if !asJSON {
		_, err := fmt.Fprintln(w, formatEvent(raw))
		return err
	}
	env, err := events.ParseEnvelope(raw)
	if err != nil {
		return nil
	}
	return printCloudEvent(w, events.ToCloudEvent(env, cloudEventSource))
}

// printCloudEvent prints a CloudEvent as JSON on one line.
func printCloudEvent(w io.Writer, ce events.CloudEvent) error {
	line, err := json.Marshal(ce)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", line)
	return err
}

// formatEvent is one line per event: position, time, stream@revision, type, actor and hash.
func formatEvent(raw events.Raw) string {
	line := fmt.Sprintf("%-8d %s  %s@%d  %s", raw.Position, raw.Recorded.UTC().Format(time.RFC3339Nano), raw.Stream, raw.Revision, raw.Type)
	env, err := events.ParseEnvelope(raw)
	if err != nil {
		return line + "  (not a ledger event: " + err.Error() + ")"
	}
	return fmt.Sprintf("%s  actor=%s  hash=%s", line, env.Metadata.Actor.Subject, env.Hash.String()[:16])
}
