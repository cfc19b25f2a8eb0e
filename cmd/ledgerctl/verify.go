package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/events"
)

// progressEvery is how often a long verification reports its progress.
const progressEvery = time.Second

func verify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("eventstore-url", "", "event store connection string")
	quiet := fs.Bool("quiet", false, "no progress lines")
	if err := fs.Parse(args); err != nil {
		return exitFailure
	}
	store, err := eventstore.Connect(storeURL(*url))
	if err != nil {
		fmt.Fprintf(stderr, "ledgerctl: %v\n", err)
		return exitFailure
	}
	defer store.Close()

	v := events.NewVerifier()
	start, lastReport := time.Now(), time.Now()
	for raw, err := range store.ReadAll(ctx, 0) {
		if err != nil {
			fmt.Fprintf(stderr, "ledgerctl: audit verify: %v\n", err)
			return exitFailure
		}
		if err := v.Add(raw); err != nil {
			var broken *events.ChainError
			if errors.As(err, &broken) {
				fmt.Fprintf(stdout, "BROKEN: stream %s, revision %d: %s (at $all position %d)\n",
					broken.Stream, broken.Revision, broken.Reason, raw.Position)
				return exitBroken
			}
			fmt.Fprintf(stderr, "ledgerctl: audit verify: %v\n", err)
			return exitFailure
		}
		if !*quiet && time.Since(lastReport) >= progressEvery {
			lastReport = time.Now()
			fmt.Fprintln(stderr, progress(v.Stats(), time.Since(start)))
		}
	}
	stats := v.Stats()
	fmt.Fprintf(stdout, "OK: %d events in %d ledger streams verified, every chain intact (%d system events skipped, %s)\n",
		stats.Events, stats.Streams, stats.Skipped, time.Since(start).Round(time.Millisecond))
	return exitOK
}

func progress(s events.Stats, elapsed time.Duration) string {
	rate := float64(s.Events) / elapsed.Seconds()
	return fmt.Sprintf("verified %d events in %d streams (%.0f events/s)", s.Events, s.Streams, rate)
}
