package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/adapters/certfiles"
	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/domain"
)

// discoverFiles records the certificate files under roots as one scan of a scope.
func discoverFiles(ctx context.Context, cmd *command) int {
	var scope string
	var roots, passwords stringList
	cmd.fs.StringVar(&scope, "scope", "", "the scope `NAME` this scan covers, such as the host's name")
	cmd.fs.Var(&roots, "root", "a `DIR` to read certificate files under; repeatable")
	cmd.fs.Var(&passwords, "password", "a `PASSWORD` to try on PKCS#12 files and keystores; repeatable")
	if !cmd.parse(0) || !cmd.need("--scope", scope) {
		return cmd.exit
	}
	if len(roots) == 0 {
		cmd.usageError("missing --root")
		return cmd.exit
	}
	host, err := os.Hostname()
	if err != nil {
		return cmd.fail(fmt.Errorf("this host's name: %w", err))
	}
	report := wire.ScanReport{ScanID: uuid.NewString(), Scope: scope, Source: "ledgerctl", StartedAt: time.Now().UTC()}
	outcomes := map[string]int{}
	var refused []string
	finder := certfiles.Finder{Roots: roots, Passwords: passwords}
	read, err := finder.Walk(ctx, func(f certfiles.Found) {
		if f.Refused() { // a link out of the roots: not read, and no location of this host's
			refused = append(refused, f.Path)
			return
		}
		s := fileSighting(host, f)
		outcomes[s.Outcome]++
		report.Sightings = append(report.Sightings, s)
	})
	if err != nil {
		return cmd.fail(err)
	}
	report.FinishedAt = time.Now().UTC()
	for i, path := range refused {
		if i == 3 {
			fmt.Fprintf(cmd.stderr, "ledgerctl: … and %d more links out of the roots, not read\n", len(refused)-i)
			break
		}
		fmt.Fprintf(cmd.stderr, "ledgerctl: %s leads out of the roots; not read\n", path)
	}
	got, err := cmd.api.RecordScan(ctx, report, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error {
		if err := printFields(w, "Scope", got.Scope, "Scan", got.ScanID, "Files read", fmt.Sprint(read),
			"Certificate files", fmt.Sprint(outcomes[domain.OutcomeOK]), "Links out of the roots", fmt.Sprint(len(refused)),
			"New certificates", fmt.Sprint(got.New),
			"Changed files", fmt.Sprint(got.Changed)); err != nil {
			return err
		}
		return outcomeTable(w, "FILES", outcomes)
	})
}

// fileSighting is one file as a scan records it: its leaf first (a store's first entry), or
// why it could not be read.
func fileSighting(host string, f certfiles.Found) wire.Sighting {
	s := wire.Sighting{Location: wire.Location{Kind: domain.LocationFile, Host: host, Path: f.Path}, Outcome: domain.OutcomeOK}
	switch {
	case errors.Is(f.Err, certfiles.ErrWrongPassword):
		s.Outcome = "wrong_password"
	case f.Err != nil:
		s.Outcome = "unreadable"
	default:
		for _, c := range f.Certificates {
			s.Chain = append(s.Chain, c.Raw)
		}
	}
	return s
}
