package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"time"

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
	store, ok := connect(*url, stderr)
	if !ok {
		return exitFailure
	}
	defer store.Close()

	// Reading $all and hashing overlap: the chains are checked on every core while the next
	// events arrive.
	v := events.NewParallelVerifier(runtime.NumCPU())
	start, lastReport := time.Now(), time.Now()
	var read uint64
	var readErr error
	for raw, err := range store.ReadAll(ctx, 0) {
		if err != nil {
			readErr = err
			break
		}
		read++
		if !v.Add(raw) {
			break
		}
		if !*quiet && time.Since(lastReport) >= progressEvery {
			lastReport = time.Now()
			fmt.Fprintln(stderr, progress(read, time.Since(start)))
		}
	}
	stats, err := v.Close()
	var broken *events.ChainError
	if errors.As(err, &broken) {
		fmt.Fprintf(stdout, "BROKEN: stream %s, revision %d: %s\n", broken.Stream, broken.Revision, broken.Reason)
		return exitBroken
	}
	if readErr != nil {
		fmt.Fprintf(stderr, "ledgerctl: audit verify: %v\n", readErr)
		return exitFailure
	}
	fmt.Fprintf(stdout, "OK: %d events in %d ledger streams verified, every chain intact (%d system events skipped, %s)\n",
		stats.Events, stats.Streams, stats.Skipped, time.Since(start).Round(time.Millisecond))
	return exitOK
}

func progress(read uint64, elapsed time.Duration) string {
	return fmt.Sprintf("read %d events (%.0f events/s)", read, float64(read)/elapsed.Seconds())
}
