package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
)

func reportPQC(ctx context.Context, cmd *command) int {
	var f reportFlags
	if !f.parse(cmd, "harvest-date") {
		return cmd.exit
	}
	if code, done := f.csv(ctx, cmd, "pqc"); done {
		return code
	}
	r, err := cmd.api.PQCReport(ctx, f.q, f.options(cmd)...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error {
		asOfLine(w, r.AsOf)
		fmt.Fprintf(w, "Post-quantum readiness as of %s, harvest date %s: %.1f %% of valid certificates are quantum-vulnerable\n",
			r.Today, r.HarvestDate, 100*r.VulnerableShare)
		t := newTable(w, "TEAM", "KEY TYPE", "FAMILY", "VULNERABLE", "VALID", "PAST HARVEST")
		for _, k := range r.KeyTypes {
			t.row(k.Team, k.KeyType, k.Family, yesNo(k.QuantumVulnerable), strconv.FormatInt(k.Valid, 10), strconv.FormatInt(k.PastHarvest, 10))
		}
		if err := t.flush(); err != nil {
			return err
		}
		fmt.Fprintln(w)
		t = newTable(w, "TEAM", "VALID", "VULNERABLE", "PAST HARVEST", "AUTO-RENEWED", "SCORE")
		for _, s := range r.Teams {
			t.row(s.Team, strconv.FormatInt(s.Valid, 10), strconv.FormatInt(s.Vulnerable, 10), strconv.FormatInt(s.PastHarvest, 10),
				strconv.FormatInt(s.AutomatedRenewal, 10), fmt.Sprintf("%.2f", s.Score))
		}
		return t.flush()
	})
}
