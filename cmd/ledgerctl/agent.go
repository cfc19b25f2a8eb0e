package main

import (
	"context"
	"fmt"
	"io"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/domain"
)

var agentCommands = group{name: "agent", summary: "ledger-agents: the agent CA, join tokens, the fleet", commands: []spec{
	{name: "agent setup", synopsis: "--parent CA_ID", output: true, write: true,
		summary: "Create the agent CA (an intermediate under --parent) and the profile ledger-agents that\n" +
			"agents' client certificates are issued under. Once per ledger.",
		example: "ledgerctl agent setup --parent 0b7e…", run: agentSetup},
	{name: "agent join-token", synopsis: "--team TEAM --ca CA_ID [--name NAME] [--ttl DURATION]", output: true, write: true,
		summary: "Mint a one-time join token (SEC_OPS) for a new agent of a team, for\n" +
			"'ledger-agent enroll --join-token'. It is printed once; the ledger keeps only its hash.",
		example: "ledgerctl agent join-token --team web --ca 5c1d… --name web-1 --ttl 30m", run: agentJoinToken},
	{name: "agent list", output: true, summary: "List the agents with their status, host, version, state and last heartbeat.",
		example: "ledgerctl agent list", run: agentList},
	{name: "agent revoke", synopsis: "ID [--reason TEXT]", write: true,
		summary: "Revoke an agent: its client certificate is revoked and refused at once.",
		example: "ledgerctl agent revoke 7d7f… --reason 'host decommissioned'", run: agentRevoke},
}}

func agentSetup(ctx context.Context, cmd *command) int {
	parent := cmd.fs.String("parent", "", "the `CA_ID` the agent CA is signed by")
	if !cmd.parse(0) || !cmd.need("--parent", *parent) {
		return cmd.exit
	}
	ca, err := cmd.api.CreateCA(ctx, client.NewCA{Name: "ledger-agents", CommonName: "certledger agents", KeyAlgorithm: "ecdsa-p256",
		ParentID: *parent}, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	if _, err := cmd.api.DefineProfile(ctx, domain.AgentProfileSpec(), cmd.options()...); err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return printFields(w, "Agent CA", ca.ID, "Profile", domain.AgentProfile) })
}

func agentJoinToken(ctx context.Context, cmd *command) int {
	var req wire.JoinTokenRequest
	cmd.fs.StringVar(&req.Team, "team", "", "the `TEAM` the agent acts for")
	cmd.fs.StringVar(&req.CAID, "ca", "", "the agent CA's `CA_ID` (agent setup prints it)")
	cmd.fs.StringVar(&req.Name, "name", "", "a label for people, such as the host's `NAME`")
	cmd.fs.StringVar(&req.TTL, "ttl", "", "how long the token works, a `DURATION` from 1m to 24h (default 1h)")
	if !cmd.parse(0) || !cmd.need("--team", req.Team) || !cmd.need("--ca", req.CAID) {
		return cmd.exit
	}
	tok, err := cmd.api.IssueJoinToken(ctx, req, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	code := cmd.show(func(w io.Writer) error {
		return printFields(w, "Agent", tok.AgentID, "Team", tok.Team, "Expires", stamp(tok.ExpiresAt), "Join token", tok.Token)
	})
	fmt.Fprintln(cmd.stderr, "Give the token to the host now: it works once, and the ledger cannot show it again.")
	return code
}

func agentList(ctx context.Context, cmd *command) int {
	if !cmd.parse(0) {
		return cmd.exit
	}
	agents, err := cmd.api.ListAgents(ctx, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error {
		t := newTable(w, "ID", "NAME", "TEAM", "STATUS", "HOST", "VERSION", "STATE", "LAST SEEN")
		for _, a := range agents {
			t.row(a.ID, a.Name, a.Team, a.Status, a.Host, a.Version, a.State, stampOf(a.LastSeen))
		}
		return t.flush()
	})
}

func agentRevoke(ctx context.Context, cmd *command) int {
	reason := cmd.fs.String("reason", "", "why, for the ledger's record")
	if !cmd.parse(1) {
		return cmd.exit
	}
	if err := cmd.api.RevokeAgent(ctx, cmd.arg(0), *reason, cmd.options()...); err != nil {
		return cmd.fail(err)
	}
	fmt.Fprintf(cmd.stdout, "agent %s revoked\n", cmd.arg(0))
	return exitOK
}
