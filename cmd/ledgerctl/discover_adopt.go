package main

import (
	"context"
	"io"

	"github.com/certledger/certledger/api/wire"
)

// discoverAdopt takes a discovered certificate under management.
func discoverAdopt(ctx context.Context, cmd *command) int {
	var req wire.AdoptRequest
	cmd.fs.StringVar(&req.Team, "team", "", "the `TEAM` that owns the certificate from now on")
	cmd.fs.StringVar(&req.Owner, "owner", "", "a contact within the team")
	cmd.fs.StringVar(&req.Profile, "profile", "", "the `PROFILE` whose renewal policy applies to it")
	if !cmd.parse(1) || !cmd.need("--team", req.Team) || !cmd.need("--profile", req.Profile) {
		return cmd.exit
	}
	got, err := cmd.api.AdoptDiscovered(ctx, cmd.arg(0), req, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error {
		return printFields(w, "Fingerprint", got.Fingerprint, "Team", got.Team, "Owner", got.Owner, "Profile", got.Profile)
	})
}
