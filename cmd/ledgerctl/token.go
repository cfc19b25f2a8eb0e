package main

import (
	"context"
	"fmt"
	"io"

	"github.com/certledger/certledger/api/client"
)

var tokenCommands = group{name: "token", summary: "API tokens: mint, list, show, revoke", commands: []spec{
	{name: "token create", synopsis: "--role ROLE [--team TEAM] [--ttl DURATION] [--description TEXT]", output: true, write: true,
		summary: "Mint an API token for a role no higher than your own (VIEWER, DEVOPS, SEC_OPS, ADMIN); DEVOPS\n" +
			"tokens need a team. The token is printed once: the ledger keeps only its hash and cannot show\n" +
			"it again.",
		example: "ledgerctl token create --role DEVOPS --team web --ttl 720h --description 'CI of the web team'", run: tokenCreate},
	{name: "token list", output: true, summary: "List the API tokens you may see (never their secrets).",
		example: "ledgerctl token list", run: tokenList},
	{name: "token show", synopsis: "ID", output: true, summary: "Show an API token (never its secret).",
		example: "ledgerctl token show 9b2e…", run: tokenShow},
	{name: "token revoke", synopsis: "ID [--reason TEXT] [--if-match REV]", output: true, write: true, ifMatch: true,
		summary: "Revoke an API token: it authenticates nobody from then on.",
		example: "ledgerctl token revoke 9b2e… --reason 'laptop lost'", run: tokenRevoke},
}}

var whoamiSpec = spec{name: "whoami", output: true, summary: "Show who your token authenticates as: subject, roles and team.",
	example: "ledgerctl whoami --token-file ./data/admin.token", run: whoami}

func tokenCreate(ctx context.Context, cmd *command) int {
	var req client.NewToken
	cmd.fs.StringVar(&req.Role, "role", "", "`ROLE`: VIEWER, DEVOPS, SEC_OPS or ADMIN")
	cmd.fs.StringVar(&req.Team, "team", "", "the token's `TEAM` (required for DEVOPS)")
	cmd.fs.StringVar(&req.TTL, "ttl", "", "how long the token lives: a `DURATION` such as 720h, or days such as 30d (default 90d)")
	cmd.fs.StringVar(&req.Description, "description", "", "what the token is for, shown in token list")
	if !cmd.parse(0) || !cmd.need("--role", req.Role) {
		return cmd.exit
	}
	tok, err := cmd.api.IssueToken(ctx, req, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	code := cmd.show(func(w io.Writer) error { return tokenFields(w, tok) })
	fmt.Fprintln(cmd.stderr, "Store the token now: the ledger keeps only its hash and cannot show it again.")
	return code
}

func tokenList(ctx context.Context, cmd *command) int {
	if !cmd.parse(0) {
		return cmd.exit
	}
	tokens, err := cmd.api.ListTokens(ctx, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error {
		t := newTable(w, "ID", "ROLE", "TEAM", "STATUS", "EXPIRES", "ISSUED BY", "DESCRIPTION")
		for _, tok := range tokens {
			t.row(tok.ID, tok.Role, tok.Team, tok.Status, stamp(tok.ExpiresAt), tok.IssuedBy, tok.Description)
		}
		return t.flush()
	})
}

func tokenShow(ctx context.Context, cmd *command) int {
	if !cmd.parse(1) {
		return cmd.exit
	}
	tok, err := cmd.api.GetToken(ctx, cmd.arg(0), cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return tokenFields(w, tok) })
}

func tokenRevoke(ctx context.Context, cmd *command) int {
	reason := cmd.fs.String("reason", "", "why, for the ledger's record")
	if !cmd.parse(1) {
		return cmd.exit
	}
	tok, err := cmd.api.RevokeToken(ctx, cmd.arg(0), *reason, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return tokenFields(w, tok) })
}

// tokenFields shows a token; its secret, last, only in the answer that minted it.
func tokenFields(w io.Writer, tok client.Token) error {
	fields := []string{"ID", tok.ID, "Role", tok.Role, "Team", tok.Team, "Description", tok.Description,
		"Status", tok.Status, "Issued by", tok.IssuedBy, "Issued at", stamp(tok.IssuedAt), "Expires", stamp(tok.ExpiresAt)}
	if tok.RevokedAt != nil {
		fields = append(fields, "Revoked at", stampOf(tok.RevokedAt), "Revoked by", tok.RevokedBy, "Reason", tok.RevocationReason)
	}
	fields = append(fields, "Revision", fmt.Sprint(tok.Revision))
	if tok.Secret != "" {
		fields = append(fields, "Token", tok.Secret)
	}
	return printFields(w, fields...)
}

func whoami(ctx context.Context, cmd *command) int {
	if !cmd.parse(0) {
		return cmd.exit
	}
	me, err := cmd.api.Me(ctx, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error {
		return printFields(w, "Subject", me.Subject, "Roles", join(me.Roles), "Team", me.Team)
	})
}
