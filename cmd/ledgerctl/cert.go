package main

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"

	"github.com/certledger/certledger/api/client"
)

var certCommands = group{name: "cert", summary: "certificates: request, decide, renew, revoke, list, download", commands: []spec{
	{name: "cert request", synopsis: "--ca ID --profile NAME --csr FILE|- --team TEAM --owner OWNER [--validity-days N]",
		output: true, write: true,
		summary: "Request a certificate from a CSR (PEM or DER; - reads stdin). It is issued at once unless the\n" +
			"profile requires approval (status pending_approval). A CSR that breaks the profile is refused\n" +
			"(exit 1) with every violation listed.",
		example: "ledgerctl cert request --ca 6f1c… --profile web --csr leaf.csr --team web --owner alice", run: certRequest},
	{name: "cert approve", synopsis: "ID [--reason TEXT]", output: true, write: true, ifMatch: true,
		summary: "Approve a pending request, which issues it. The approver must not be the requester.",
		example: "ledgerctl cert approve 0d3c… --reason 'ticket 4711'", run: decision("approve")},
	{name: "cert reject", synopsis: "ID --reason TEXT", output: true, write: true, ifMatch: true,
		summary: "Reject a pending request.", example: "ledgerctl cert reject 0d3c… --reason 'not ours'", run: decision("reject")},
	{name: "cert issue", synopsis: "ID", output: true, write: true, ifMatch: true,
		summary: "Issue an approved certificate whose issuance did not complete.", example: "ledgerctl cert issue 0d3c…",
		run: decision("issue")},
	{name: "cert renew", synopsis: "ID --csr FILE|- [--validity-days N]", output: true, write: true, ifMatch: true,
		summary: "Renew a certificate from a new CSR: prints the new certificate; the old one becomes superseded.",
		example: "ledgerctl cert renew 0d3c… --csr new.csr", run: certRenew},
	{name: "cert revoke", synopsis: "ID --reason REASON [--invalidity-date RFC3339]", output: true, write: true, ifMatch: true,
		summary: "Revoke a certificate. REASON is an RFC 5280 name: unspecified, keyCompromise, affiliationChanged,\n" +
			"superseded, cessationOfOperation, certificateHold, privilegeWithdrawn; --invalidity-date goes\n" +
			"with keyCompromise. OCSP and the CRL show the revocation within seconds.",
		example: "ledgerctl cert revoke 0d3c… --reason keyCompromise --invalidity-date 2030-01-02T15:04:05Z", run: certRevoke},
	certListSpec, certShowSpec, certHistorySpec, certDownloadSpec,
}}

func certRequest(ctx context.Context, cmd *command) int {
	var req client.CertificateRequest
	cmd.fs.StringVar(&req.CAID, "ca", "", "`ID` of the issuing CA")
	cmd.fs.StringVar(&req.Profile, "profile", "", "`NAME` of the profile the request is checked against")
	csr := cmd.fs.String("csr", "", "CSR `FILE` (PEM or DER), - for stdin")
	cmd.fs.StringVar(&req.Team, "team", "", "`TEAM` that owns the certificate")
	cmd.fs.StringVar(&req.Owner, "owner", "", "`OWNER` of the certificate, a person or service")
	cmd.fs.IntVar(&req.ValidityDays, "validity-days", 0, "validity in `DAYS` (default 90)")
	if !cmd.parse(0) || !cmd.need("--ca", req.CAID, "--profile", req.Profile, "--csr", *csr) {
		return cmd.exit
	}
	pemCSR, ok := cmd.readCSR(*csr)
	if !ok {
		return cmd.exit
	}
	req.CSR = string(pemCSR)
	cert, err := cmd.api.RequestCertificate(ctx, req, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return certFields(w, cert) })
}

// decision runs approve, reject or issue.
func decision(action string) func(context.Context, *command) int {
	return func(ctx context.Context, cmd *command) int {
		reason := new(string)
		if action != "issue" {
			reason = cmd.fs.String("reason", "", "why, for the ledger's record")
		}
		if !cmd.parse(1) || (action == "reject" && !cmd.need("--reason", *reason)) {
			return cmd.exit
		}
		var cert client.Certificate
		var err error
		switch action {
		case "approve":
			cert, err = cmd.api.Approve(ctx, cmd.arg(0), *reason, cmd.options()...)
		case "reject":
			cert, err = cmd.api.Reject(ctx, cmd.arg(0), *reason, cmd.options()...)
		default:
			cert, err = cmd.api.Issue(ctx, cmd.arg(0), cmd.options()...)
		}
		if err != nil {
			return cmd.fail(err)
		}
		return cmd.show(func(w io.Writer) error { return certFields(w, cert) })
	}
}

func certRenew(ctx context.Context, cmd *command) int {
	csr := cmd.fs.String("csr", "", "new CSR `FILE` (PEM or DER), - for stdin")
	days := cmd.fs.Int("validity-days", 0, "validity of the new certificate in `DAYS`")
	if !cmd.parse(1) || !cmd.need("--csr", *csr) {
		return cmd.exit
	}
	pemCSR, ok := cmd.readCSR(*csr)
	if !ok {
		return cmd.exit
	}
	cert, err := cmd.api.Renew(ctx, cmd.arg(0), pemCSR, *days, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return certFields(w, cert) })
}

func certRevoke(ctx context.Context, cmd *command) int {
	reason := cmd.fs.String("reason", "", "RFC 5280 revocation `REASON`, such as keyCompromise")
	var invalidity timeFlag
	cmd.fs.Var(&invalidity, "invalidity-date", "`RFC3339` time the key is known to have been compromised")
	if !cmd.parse(1) || !cmd.need("--reason", *reason) {
		return cmd.exit
	}
	cert, err := cmd.api.Revoke(ctx, cmd.arg(0), *reason, invalidity.ptr(), cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return certFields(w, cert) })
}

// readCSR reads a CSR file as PEM; a DER CSR is converted.
func (cmd *command) readCSR(path string) ([]byte, bool) {
	raw, err := readInput(path)
	if err != nil {
		return nil, cmd.usageError("--csr: %v", err)
	}
	if block, _ := pem.Decode(raw); block != nil {
		return raw, true
	}
	if _, err := x509.ParseCertificateRequest(raw); err != nil {
		return nil, cmd.usageError("--csr: %s holds no CSR, neither PEM nor DER", path)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: raw}), true
}

func certFields(w io.Writer, c client.Certificate) error {
	fields := []string{"ID", c.ID, "Status", c.Status, "Common name", c.CommonName, "DNS names", join(c.DNSNames),
		"Serial", c.Serial, "CA", c.CAID, "Profile", c.Profile, "Team", c.Team, "Owner", c.Owner,
		"Not before", stampOf(c.NotBefore), "Not after", stampOf(c.NotAfter)}
	if r := c.Renewal; r != nil {
		fields = append(fields, "Renewal", fmt.Sprintf("due since %s (%s), %d failed attempts", stampOf(&r.DueAt), r.Mode, r.FailedAttempts))
	}
	if c.SupersededBy != "" {
		fields = append(fields, "Superseded by", c.SupersededBy)
	}
	return printFields(w, append(fields, "Revision", fmt.Sprint(c.Revision))...)
}
