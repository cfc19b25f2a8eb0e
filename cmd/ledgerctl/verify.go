package main

import (
	"context"
	"crypto"
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
	keyFile := fs.String("audit-key", "", "the audit public key (PEM) to check checkpoints with; default: the key the first checkpoint carries, with a warning")
	dbURL := fs.String("database-url", "", "Postgres of the audit read model, to name the first leaf a broken checkpoint disagrees with (default $DATABASE_URL or "+defaultDatabase+")")
	if err := fs.Parse(args); err != nil {
		return exitFailure
	}
	var key crypto.PublicKey
	if *keyFile != "" {
		var err error
		if key, err = readPublicKey(*keyFile); err != nil {
			fmt.Fprintf(stderr, "ledgerctl: audit verify: --audit-key: %v\n", err)
			return exitFailure
		}
	}
	store, ok := connect(*url, stderr)
	if !ok {
		return exitFailure
	}
	defer store.Close()
	cps, err := readCheckpoints(ctx, store, key)
	if err != nil {
		fmt.Fprintf(stderr, "ledgerctl: audit verify: the checkpoints: %v\n", err)
		return exitFailure
	}

	// Reading $all and hashing overlap: the chains are checked on every core while the next
	// events arrive.
	v := events.NewParallelVerifier(runtime.NumCPU())
	tree := cps.feed()
	start, lastReport := time.Now(), time.Now()
	var read uint64
	var readErr error
	for raw, err := range store.ReadAll(ctx, 0) {
		if err != nil {
			readErr = err
			break
		}
		read++
		if cps.skip(raw) {
			continue
		}
		if !v.Add(raw) {
			break
		}
		tree.add(raw)
		if !*quiet && time.Since(lastReport) >= progressEvery {
			lastReport = time.Now()
			fmt.Fprintln(stderr, progress(read, time.Since(start)))
		}
	}
	stats, err := v.Close()
	if treeErr := tree.close(); readErr == nil {
		readErr = treeErr
	}
	var broken *events.ChainError
	if errors.As(err, &broken) {
		fmt.Fprintf(stdout, "BROKEN: stream %s, revision %d: %s\n", broken.Stream, broken.Revision, broken.Reason)
		return exitBroken
	}
	if readErr != nil {
		fmt.Fprintf(stderr, "ledgerctl: audit verify: %v\n", readErr)
		return exitFailure
	}
	if cps.deletion != "" {
		fmt.Fprintf(stdout, "BROKEN: %s\n", cps.deletion)
		return exitBroken
	}
	if bad, why, good, tree := cps.firstBreak(); bad != nil {
		if tree {
			why += "; " + cps.locate(ctx, store, *dbURL, bad, good)
		}
		fmt.Fprintf(stdout, "BROKEN: %s: %s\n", bad, why)
		return exitBroken
	}
	fmt.Fprintf(stdout, "OK: %d events in %d ledger streams verified, every chain intact (%d system events skipped, %s); %s\n",
		stats.Events, stats.Streams, stats.Skipped, time.Since(start).Round(time.Millisecond), cps.summary())
	if len(cps.cps) > 0 && !cps.pinned {
		fmt.Fprintf(stderr, "WARNING: the audit key was not pinned: the checkpoints were checked with the key the first one carries (%s). "+
			"Pass --audit-key with the key you trust ('ledgerctl audit key').\n", cps.keyID)
	}
	return exitOK
}

func progress(read uint64, elapsed time.Duration) string {
	return fmt.Sprintf("read %d events (%.0f events/s)", read, float64(read)/elapsed.Seconds())
}
