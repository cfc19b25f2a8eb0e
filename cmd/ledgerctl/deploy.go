package main

import (
	"context"
	"io"
	"strings"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/domain"
)

var deployCommands = group{name: "deploy", summary: "deployments: certificates installed by agents on their hosts", commands: []spec{
	{name: "deploy create", synopsis: "--agent ID --ca CA_ID --profile NAME --dns NAME… --format pem|pkcs12|jks PATHS [--hook NAME] [--verify HOST:PORT]",
		output: true, write: true,
		summary: "Ask an agent to deploy a new certificate: it makes the key on its host, the ledger issues for\n" +
			"its CSR, it installs (PEM: --cert-path, --key-path, --chain-path; PKCS#12 and JKS:\n" +
			"--keystore-path), runs the named --hook of its host and checks --verify serves it.",
		example: "ledgerctl deploy create --agent 7d7f… --ca 5c1d… --profile web --dns www.example.com --format pem \\\n" +
			"    --cert-path /etc/nginx/tls/www.pem --key-path /etc/nginx/tls/www.key --hook nginx --verify 127.0.0.1:443",
		run: deployCreate},
	{name: "deploy list", synopsis: "[--limit N]", output: true, summary: "List the deployments, newest first, with how they ended.",
		example: "ledgerctl deploy list", run: deployList},
	{name: "deploy again", synopsis: "ID", output: true, write: true,
		summary: "Deploy a deployment's target again with a new key and certificate (what a renewal runs).",
		example: "ledgerctl deploy again 3db2…", run: deployAgain},
}}

func deployCreate(ctx context.Context, cmd *command) int {
	var req wire.DeploymentRequest
	var names stringList
	var format string
	cmd.fs.StringVar(&req.Target.AgentID, "agent", "", "the agent's `ID`")
	cmd.fs.StringVar(&req.CAID, "ca", "", "the issuing `CA_ID`")
	cmd.fs.StringVar(&req.Profile, "profile", "", "the profile `NAME`")
	cmd.fs.StringVar(&req.Team, "team", "", "the deployment's `TEAM` (default yours); the agent acts for it")
	cmd.fs.Var(&names, "dns", "a DNS `NAME` of the certificate; repeatable")
	cmd.fs.StringVar(&format, "format", "pem", "`FORMAT`: pem, pkcs12 or jks")
	cmd.fs.StringVar(&req.Target.CertPath, "cert-path", "", "PEM: the certificate and its chain, a `PATH` on the host")
	cmd.fs.StringVar(&req.Target.KeyPath, "key-path", "", "PEM: the key (0600), a `PATH` on the host")
	cmd.fs.StringVar(&req.Target.ChainPath, "chain-path", "", "PEM: the chain alone, a `PATH` on the host")
	cmd.fs.StringVar(&req.Target.KeystorePath, "keystore-path", "", "PKCS#12 or JKS: the keystore's `PATH` on the host")
	cmd.fs.StringVar(&req.Target.Hook, "hook", "", "the `NAME` of a reload hook in the host's configuration")
	cmd.fs.StringVar(&req.Target.VerifyEndpoint, "verify", "", "`HOST:PORT` that must serve the certificate afterwards")
	cmd.fs.StringVar(&req.Target.ServerName, "server-name", "", "the SNI `NAME` sent to --verify (default the first --dns)")
	cmd.fs.IntVar(&req.ValidityDays, "validity-days", 0, "validity in `DAYS` (default the profile's maximum)")
	if !cmd.parse(0) || !cmd.need("--agent", req.Target.AgentID) || !cmd.need("--ca", req.CAID) || !cmd.need("--profile", req.Profile) {
		return cmd.exit
	}
	req.Target.Format, req.DNSNames = domain.DeploymentFormat(format), names
	got, err := cmd.api.Deploy(ctx, req, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return printFields(w, "Deployment", got.ID) })
}

func deployList(ctx context.Context, cmd *command) int {
	limit := cmd.fs.Int("limit", 50, "at most `N` deployments")
	if !cmd.parse(0) {
		return cmd.exit
	}
	deps, err := cmd.api.ListDeployments(ctx, *limit, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error {
		t := newTable(w, "ID", "AGENT", "STATUS", "FORMAT", "NAMES", "HOOK", "FINGERPRINT", "REASON")
		for _, d := range deps {
			t.row(d.ID, d.AgentID, d.Status, string(d.Target.Format), strings.Join(d.DNSNames, ","), d.Target.Hook, short(d.Fingerprint), d.Reason)
		}
		return t.flush()
	})
}

func deployAgain(ctx context.Context, cmd *command) int {
	if !cmd.parse(1) {
		return cmd.exit
	}
	got, err := cmd.api.Redeploy(ctx, cmd.arg(0), cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return printFields(w, "Deployment", got.ID, "Again of", cmd.arg(0)) })
}

// short is a fingerprint's first 16 hex digits, enough to tell certificates apart in a table.
func short(fp string) string {
	if len(fp) > 16 {
		return fp[:16] + "…"
	}
	return fp
}
