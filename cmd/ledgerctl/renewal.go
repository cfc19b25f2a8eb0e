package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/certledger/certledger/api/client"
)

var renewalCommands = group{name: "renewal", summary: "automatic renewal: the renewal state of certificates", commands: []spec{
	{name: "renewal list", synopsis: "[--state due|failed|renewed] [--team T] [--certificate ID] [--limit N]", output: true,
		summary: "List certificates whose renewal is due under their profile's policy: due, failed (automatic\n" +
			"attempts that failed, the last error and the next attempt) or renewed (with the successor).",
		example: "ledgerctl renewal list --state failed -o json", run: renewalList},
}}

func renewalList(ctx context.Context, cmd *command) int {
	var f client.RenewalFilter
	var limit int
	cmd.fs.StringVar(&f.State, "state", "", "due, failed or renewed")
	cmd.fs.StringVar(&f.Team, "team", "", "only this `TEAM`'s certificates")
	cmd.fs.StringVar(&f.CertificateID, "certificate", "", "only this certificate `ID`")
	cmd.fs.IntVar(&limit, "limit", 100, "at most `N` renewals")
	if !cmd.parse(0) {
		return cmd.exit
	}
	page, err := cmd.api.ListRenewals(ctx, f, "", limit, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error {
		t := newTable(w, "CERTIFICATE", "COMMON NAME", "TEAM", "MODE", "STATE", "DUE", "NOT AFTER", "ATTEMPTS", "NEXT", "SUCCESSOR", "LAST ERROR")
		for _, r := range page.Items {
			next := ""
			if r.State != "renewed" && r.Mode != "notify" {
				next = r.NextAttemptAt.Format(time.RFC3339)
			}
			t.row(r.CertificateID, r.CommonName, r.Team, r.Mode, r.State, r.DueAt.Format(time.DateOnly),
				r.NotAfter.Format(time.DateOnly), fmt.Sprint(r.Attempts), next, r.SuccessorID, r.LastError)
		}
		return t.flush()
	})
}
