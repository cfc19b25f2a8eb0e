package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/certledger/certledger/events"
)

func tail(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("events tail", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("eventstore-url", "", "event store connection string")
	follow := fs.Bool("follow", false, "keep printing new events until interrupted")
	fs.BoolVar(follow, "f", false, "short for --follow")
	n := fs.Uint64("n", 20, "how many of the newest events to print first")
	if err := fs.Parse(args); err != nil {
		return exitFailure
	}
	store, ok := connect(*url, stderr)
	if !ok {
		return exitFailure
	}
	defer store.Close()

	var after uint64
	if *n > 0 {
		last, err := store.ReadLast(ctx, *n)
		if err != nil {
			fmt.Fprintf(stderr, "ledgerctl: events tail: %v\n", err)
			return exitFailure
		}
		for _, raw := range last {
			after = raw.Position
			if !events.IsSystemStream(raw.Stream) {
				fmt.Fprintln(stdout, formatEvent(raw))
			}
		}
	}
	if !*follow {
		return exitOK
	}
	if *n == 0 {
		last, err := store.ReadLast(ctx, 1)
		if err != nil {
			fmt.Fprintf(stderr, "ledgerctl: events tail: %v\n", err)
			return exitFailure
		}
		if len(last) == 1 {
			after = last[0].Position
		}
	}
	err := store.Subscribe(ctx, after, events.Subscription{
		OnDrop: func(err error) { fmt.Fprintf(stderr, "ledgerctl: connection lost, reconnecting: %v\n", err) },
	}, func(raw events.Raw) error {
		_, err := fmt.Fprintln(stdout, formatEvent(raw))
		return err
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "ledgerctl: events tail: %v\n", err)
		return exitFailure
	}
	return exitOK
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
