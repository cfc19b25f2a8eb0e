package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/certledger/certledger/api/client"
)

var signingKeyCommands = group{name: "signing-key", summary: "code-signing keys: create, show, disable, enable, rotate, revoke", commands: []spec{
	{name: "signing-key create", synopsis: "--name NAME --team TEAM --ca ID --cn COMMON-NAME [--approvals M] [--approver SUBJECT]…", output: true, write: true,
		summary: "Create a signing key in the HSM (non-extractable, sign-only) with a code-signing certificate\n" +
			"from the CA. Its policy: the teams and principals that may request, the digests accepted and\n" +
			"how many SEC_OPS approvals (never the requester's) each request needs.",
		example: "ledgerctl signing-key create --name release --team web --ca 6f1c… --cn 'Web release' --approvals 2", run: signingKeyCreate},
	{name: "signing-key show", synopsis: "ID", output: true, summary: "Show a signing key, its status, policy and certificate serial.",
		example: "ledgerctl signing-key show 9b2e…", run: signingKeyShow},
	{name: "signing-key chain", synopsis: "ID", summary: "Print a key's CA chain up to the root as PEM: the -CAfile of openssl cms -verify.",
		example: "ledgerctl signing-key chain 9b2e… > chain.pem", run: signingKeyChain},
	{name: "signing-key disable", synopsis: "ID [--reason TEXT]", output: true, write: true, ifMatch: true,
		summary: "Disable a key: it signs nothing until enabled.", example: "ledgerctl signing-key disable 9b2e… --reason incident", run: signingKeyLifecycle},
	{name: "signing-key enable", synopsis: "ID", output: true, write: true, ifMatch: true,
		summary: "Enable a disabled key.", example: "ledgerctl signing-key enable 9b2e…", run: signingKeyLifecycle},
	{name: "signing-key rotate", synopsis: "ID [--reason TEXT]", output: true, write: true, ifMatch: true,
		summary: "Rotate a key: a new key in the HSM with a new certificate from the same CA, the same name, team\n" +
			"and policy, succeeds it and is shown; the old key signs nothing more, and its certificate, not\n" +
			"revoked, still verifies what it signed.",
		example: "ledgerctl signing-key rotate 9b2e… --reason 'yearly rotation'", run: signingKeyLifecycle},
	{name: "signing-key revoke", synopsis: "ID --reason REASON", output: true, write: true, ifMatch: true,
		summary: "Revoke a key's certificate (its CA's CRL and OCSP say so); the key signs nothing more.",
		example: "ledgerctl signing-key revoke 9b2e… --reason keyCompromise", run: signingKeyLifecycle},
}}

func signingKeyCreate(ctx context.Context, cmd *command) int {
	var req client.NewSigningKey
	var teams, principals, approvers, digests, windows stringList
	cmd.fs.StringVar(&req.Name, "name", "", "the key's `NAME`")
	cmd.fs.StringVar(&req.Team, "team", "", "the `TEAM` that owns the key (and may request, unless --request-team is given)")
	cmd.fs.StringVar(&req.CAID, "ca", "", "`ID` of the CA that certifies the key")
	cmd.fs.StringVar(&req.CommonName, "cn", "", "the common name of its certificate")
	cmd.fs.StringVar(&req.KeyAlgorithm, "key-algorithm", "", "`ALG`: ecdsa-p256 (default), ecdsa-p384 or rsa-3072")
	cmd.fs.StringVar(&req.Usage, "usage", "", "code (default) or timestamp")
	cmd.fs.IntVar(&req.ValidityDays, "validity-days", 0, "validity of the certificate in `DAYS` (default 365)")
	cmd.fs.IntVar(&req.Policy.Approvals, "approvals", 0, "`M`: SEC_OPS approvals each request needs")
	cmd.fs.Var(&approvers, "approver", "a `SUBJECT` the approvals must come from (repeat for N of them)")
	cmd.fs.Var(&teams, "request-team", "a `TEAM` that may request (repeatable)")
	cmd.fs.Var(&principals, "principal", "a `SUBJECT` that may request (repeatable)")
	cmd.fs.Var(&digests, "digest", "a digest `ALG` accepted (repeatable; default sha256, sha384, sha512)")
	cmd.fs.Var(&windows, "window", "when the key signs, in UTC: `[DAYS ]HH:MM-HH:MM` such as 'mon-fri 08:00-18:00' (repeatable; default any time)")
	if !cmd.parse(0) || !cmd.need("--name", req.Name, "--team", req.Team, "--ca", req.CAID, "--cn", req.CommonName) {
		return cmd.exit
	}
	req.Policy.Teams, req.Policy.Principals, req.Policy.Approvers, req.Policy.DigestAlgorithms = teams, principals, approvers, digests
	req.Policy.Windows = windows
	k, err := cmd.api.CreateSigningKey(ctx, req, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return signingKeyFields(w, k) })
}

func signingKeyShow(ctx context.Context, cmd *command) int {
	if !cmd.parse(1) {
		return cmd.exit
	}
	k, err := cmd.api.GetSigningKey(ctx, cmd.arg(0), cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return signingKeyFields(w, k) })
}

func signingKeyChain(ctx context.Context, cmd *command) int {
	if !cmd.parse(1) {
		return cmd.exit
	}
	k, err := cmd.api.GetSigningKey(ctx, cmd.arg(0), cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	fmt.Fprint(cmd.stdout, k.Chain)
	return exitOK
}

// signingKeyLifecycle runs disable, enable, rotate or revoke, by the command's last word.
func signingKeyLifecycle(ctx context.Context, cmd *command) int {
	reason := cmd.fs.String("reason", "", "why: a note, or for revoke an RFC 5280 reason such as keyCompromise")
	if !cmd.parse(1) {
		return cmd.exit
	}
	var k client.SigningKey
	var err error
	switch verb := cmd.name[strings.LastIndex(cmd.name, " ")+1:]; verb {
	case "disable":
		k, err = cmd.api.DisableSigningKey(ctx, cmd.arg(0), *reason, cmd.options()...)
	case "enable":
		k, err = cmd.api.EnableSigningKey(ctx, cmd.arg(0), cmd.options()...)
	case "rotate":
		k, err = cmd.api.RotateSigningKey(ctx, cmd.arg(0), *reason, cmd.options()...)
	default:
		k, err = cmd.api.RevokeSigningKey(ctx, cmd.arg(0), client.Revocation{Reason: *reason}, cmd.options()...)
	}
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return signingKeyFields(w, k) })
}

func signingKeyFields(w io.Writer, k client.SigningKey) error {
	p := k.Policy
	return printFields(w, "ID", k.ID, "Name", k.Name, "Team", k.Team, "Usage", k.Usage, "Key algorithm", k.KeyAlgorithm,
		"Status", k.Status, "CA", k.CAID, "Serial", k.Serial, "Not before", stamp(k.NotBefore), "Not after", stamp(k.NotAfter),
		"Requesters", strings.Join(append(append([]string(nil), p.Teams...), p.Principals...), ", "),
		"Digests", strings.Join(p.DigestAlgorithms, ", "), "Approvals", fmt.Sprintf("%d of %s", p.Approvals, approverSet(p.Approvers)),
		"Windows (UTC)", windowsOf(p.Windows), "Successor", k.SuccessorID, "Revision", fmt.Sprint(k.Revision))
}

// windowsOf is a policy's signing windows, "any time" without them.
func windowsOf(w []string) string {
	if len(w) == 0 {
		return "any time"
	}
	return strings.Join(w, ", ")
}

func approverSet(names []string) string {
	if len(names) == 0 {
		return "any SEC_OPS"
	}
	return strings.Join(names, ", ")
}
