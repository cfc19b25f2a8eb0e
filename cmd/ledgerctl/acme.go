package main

import (
	"context"
	"fmt"
	"io"

	"github.com/certledger/certledger/api/client"
)

var acmeCommands = group{name: "acme", summary: "ACME administration: External Account Binding keys", commands: []spec{
	{name: "acme eab-key", synopsis: "--provisioner NAME --team TEAM", output: true, write: true,
		summary: "Mint an External Account Binding key (SEC_OPS, ADMIN): it binds one ACME account of the\n" +
			"provisioner to the team. The HMAC key is printed once; pass both to the client\n" +
			"(certbot --eab-kid ID --eab-hmac-key KEY, lego --eab --kid ID --hmac KEY).",
		example: "ledgerctl acme eab-key --provisioner web --team payments", run: acmeEABKey},
}}

func acmeEABKey(ctx context.Context, cmd *command) int {
	var req client.NewEABKey
	cmd.fs.StringVar(&req.Provisioner, "provisioner", "", "the ACME provisioner's `NAME`, as in /acme/NAME/directory")
	cmd.fs.StringVar(&req.Team, "team", "", "the `TEAM` the bound account acts for")
	if !cmd.parse(0) || !cmd.need("--provisioner", req.Provisioner) || !cmd.need("--team", req.Team) {
		return cmd.exit
	}
	key, err := cmd.api.MintEABKey(ctx, req, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	code := cmd.show(func(w io.Writer) error {
		return printFields(w, "Key ID", key.KeyID, "HMAC key", key.HMACKey, "Provisioner", key.Provisioner, "Team", key.Team)
	})
	fmt.Fprintln(cmd.stderr, "Store the HMAC key now: the ledger keeps only its hash and cannot show it again.")
	return code
}
