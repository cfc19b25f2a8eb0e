package main

import (
	"context"
	"fmt"
	"io"

	"github.com/certledger/certledger/api/client"
)

var caCommands = group{name: "ca", summary: "certificate authorities: create, list, show, download, revoke", commands: []spec{
	{name: "ca create", synopsis: "--name NAME --cn COMMON-NAME --key-algorithm ALG [--parent ID]", output: true, write: true,
		summary: "Create a root CA, or with --parent an intermediate CA signed by that CA. The CA's key is generated\n" +
			"in the HSM; every CA also gets a delegated OCSP responder certificate.",
		example: "ledgerctl ca create --name Root --cn 'Demo Root CA' --key-algorithm ecdsa-p256", run: caCreate},
	{name: "ca list", output: true, summary: "List the CAs of the inventory.", example: "ledgerctl ca list", run: caList},
	{name: "ca show", synopsis: "ID", output: true, summary: "Show a CA as its event stream has it, with its revision for --if-match.",
		example: "ledgerctl ca show 6f1c…", run: caShow},
	{name: "ca download", synopsis: "ID [--format pem|der] [--out FILE]",
		summary: "Download a CA certificate, to stdout or --out. Needs no token.",
		example: "ledgerctl ca download 6f1c… --out ca.pem", run: caDownload},
	{name: "ca chain", synopsis: "ID [--out FILE]",
		summary: "Download a CA's certificate and its parents' up to the root, as PEM. Needs no token.",
		example: "ledgerctl ca chain 6f1c… --out chain.pem", run: caChain},
	{name: "ca history", synopsis: "ID", output: true,
		summary: "The events of a CA's stream: who did what, when, and the hash chaining each event to the one before.",
		example: "ledgerctl ca history 6f1c…", run: caHistory},
	{name: "ca revoke", synopsis: "ID --reason REASON [--invalidity-date RFC3339]", output: true, write: true, ifMatch: true,
		summary: "Revoke a CA: its parent's CRL lists it and it issues nothing more. REASON is an RFC 5280 name\n" +
			"such as cACompromise, superseded or cessationOfOperation.",
		example: "ledgerctl ca revoke 6f1c… --reason cACompromise --if-match 2", run: caRevoke},
}}

func caCreate(ctx context.Context, cmd *command) int {
	var req client.NewCA
	cmd.fs.StringVar(&req.Name, "name", "", "the CA's `NAME` in the ledger")
	cmd.fs.StringVar(&req.CommonName, "cn", "", "the common name of its certificate")
	cmd.fs.StringVar(&req.KeyAlgorithm, "key-algorithm", "", "`ALG`: ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, rsa-4096 or ed25519")
	cmd.fs.StringVar(&req.ParentID, "parent", "", "`ID` of the CA that signs this intermediate; none makes a root")
	cmd.fs.IntVar(&req.ValidityDays, "validity-days", 0, "validity in `DAYS` (default 3650 for a root, 1825 for an intermediate)")
	cmd.fs.IntVar(&req.CRLPartitions, "crl-partitions", 0, "split the CA's CRL into `N` partitions (2–256)")
	if !cmd.parse(0) || !cmd.need("--name", req.Name, "--cn", req.CommonName, "--key-algorithm", req.KeyAlgorithm) {
		return cmd.exit
	}
	ca, err := cmd.api.CreateCA(ctx, req, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return caFields(w, ca) })
}

func caList(ctx context.Context, cmd *command) int {
	if !cmd.parse(0) {
		return cmd.exit
	}
	cas, err := cmd.api.ListCAs(ctx, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error {
		t := newTable(w, "ID", "NAME", "COMMON NAME", "KEY", "STATUS", "NOT AFTER", "PARENT")
		for _, ca := range cas {
			t.row(ca.ID, ca.Name, ca.CommonName, ca.KeyType, ca.Status, stamp(ca.NotAfter), ca.ParentID)
		}
		return t.flush()
	})
}

func caShow(ctx context.Context, cmd *command) int {
	if !cmd.parse(1) {
		return cmd.exit
	}
	ca, err := cmd.api.GetCA(ctx, cmd.arg(0), cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return caFields(w, ca) })
}

func caDownload(ctx context.Context, cmd *command) int {
	format := cmd.fs.String("format", "pem", "pem or der")
	out := cmd.fs.String("out", "", "write to `FILE` instead of stdout")
	if !cmd.parse(1) {
		return cmd.exit
	}
	data, err := cmd.api.CACertificate(ctx, cmd.arg(0), *format, cmd.options()...)
	return cmd.save(data, err, *out)
}

func caChain(ctx context.Context, cmd *command) int {
	out := cmd.fs.String("out", "", "write to `FILE` instead of stdout")
	if !cmd.parse(1) {
		return cmd.exit
	}
	data, err := cmd.api.CAChain(ctx, cmd.arg(0), cmd.options()...)
	return cmd.save(data, err, *out)
}

func caHistory(ctx context.Context, cmd *command) int {
	if !cmd.parse(1) {
		return cmd.exit
	}
	h, err := cmd.api.CAHistory(ctx, cmd.arg(0), cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return historyTable(w, h) })
}

func caRevoke(ctx context.Context, cmd *command) int {
	reason := cmd.fs.String("reason", "", "RFC 5280 revocation `REASON`, such as cACompromise")
	var invalidity timeFlag
	cmd.fs.Var(&invalidity, "invalidity-date", "`RFC3339` time the key is known to have been compromised")
	if !cmd.parse(1) || !cmd.need("--reason", *reason) {
		return cmd.exit
	}
	ca, err := cmd.api.RevokeCA(ctx, cmd.arg(0), client.Revocation{Reason: *reason, InvalidityDate: invalidity.ptr()}, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return caFields(w, ca) })
}

func caFields(w io.Writer, ca client.CA) error {
	partitions := ""
	if ca.CRLPartitions > 1 {
		partitions = fmt.Sprint(ca.CRLPartitions)
	}
	return printFields(w, "ID", ca.ID, "Name", ca.Name, "Common name", ca.CommonName, "Key algorithm", ca.KeyAlgorithm,
		"Parent", ca.ParentID, "Status", ca.Status, "Serial", ca.Serial, "Not before", stamp(ca.NotBefore),
		"Not after", stamp(ca.NotAfter), "HSM key label", ca.KeyLabel, "CRL partitions", partitions,
		"Revision", fmt.Sprint(ca.Revision))
}
