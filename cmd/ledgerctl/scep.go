package main

import (
	"context"
	"fmt"
	"io"

	"github.com/certledger/certledger/api/client"
)

var scepCommands = group{name: "scep", summary: "SCEP enrollment: one-time challenge passwords", commands: []spec{
	{name: "scep challenge", synopsis: "--provisioner NAME --team TEAM [--ttl DURATION]", output: true, write: true,
		summary: "Mint a one-time SCEP challenge password (RFC 8894) for a provisioner of LEDGER_SCEP_PROVISIONERS:\n" +
			"the device that enrolls with it gets one certificate, for TEAM, under the provisioner's CA and\n" +
			"profile. It is printed once: the ledger keeps only its hash.",
		example: "ledgerctl scep challenge --provisioner devices --team iot --ttl 1h", run: scepChallenge},
}}

func scepChallenge(ctx context.Context, cmd *command) int {
	var req client.NewSCEPChallenge
	cmd.fs.StringVar(&req.Provisioner, "provisioner", "", "the SCEP provisioner's `NAME`, /scep/NAME")
	cmd.fs.StringVar(&req.Team, "team", "", "the `TEAM` the certificate is recorded for")
	cmd.fs.StringVar(&req.TTL, "ttl", "", "how long the password is valid: a `DURATION` such as 1h, or days such as 7d (default 1d)")
	if !cmd.parse(0) || !cmd.need("--provisioner", req.Provisioner) || !cmd.need("--team", req.Team) {
		return cmd.exit
	}
	ch, err := cmd.api.IssueSCEPChallenge(ctx, req, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	code := cmd.show(func(w io.Writer) error {
		return printFields(w, "Password", ch.Password, "Challenge", ch.ChallengeID, "Provisioner", ch.Provisioner,
			"Team", ch.Team, "Expires", stamp(ch.ExpiresAt))
	})
	fmt.Fprintln(cmd.stderr, "Hand the password to the device now: the ledger keeps only its hash and cannot show it again.")
	return code
}
