package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/certledger/certledger/api/client"
)

var signCommands = group{name: "sign", summary: "code signing: sign a file's digest or a Windows PE, show, approve or refuse a request", commands: []spec{
	{name: "sign file", synopsis: "KEY-ID FILE [--digest sha256|sha384|sha512] [--out FILE.p7s] [--wait DURATION] [--timestamp TSA-KEY-ID]", output: true, write: true,
		summary: "Compute the file's digest here, reading it as a stream (the file never leaves this machine;\n" +
			"a progress bar shows on a terminal for big files), ask the key to sign it and write the detached\n" +
			"CMS SignedData (DER) to FILE.p7s. A key that needs approvals leaves the request pending: --wait\n" +
			"polls until it is signed. --timestamp has the ledger's TSA of that key timestamp the signature\n" +
			"(RFC 3161, the token checked and added as the id-aa-timeStampToken unsigned attribute).\n" +
			"Exits 1 when the ledger refuses. Check the result with\n" +
			"openssl cms -verify -binary -inform DER -in FILE.p7s -content FILE -CAfile chain.pem -purpose any\n" +
			"(OpenSSL 3.0 needs -purpose any for a codeSigning-only certificate).",
		example: "ledgerctl sign file 9b2e… release.tar.gz --wait 10m", run: signFile},
	signAuthenticodeSpec,
	signPendingSpec,
	{name: "sign show", synopsis: "KEY-ID REQUEST-ID [--out FILE.p7s] [--timestamp TSA-KEY-ID]", output: true,
		summary: "Show a signature request: pending, signed (with --out, write its .p7s, timestamped by the TSA\n" +
			"of --timestamp's key), refused or voided.",
		example: "ledgerctl sign show 9b2e… 41d0… --out release.tar.gz.p7s", run: signShow},
	{name: "sign approve", synopsis: "KEY-ID REQUEST-ID", output: true, write: true,
		summary: "Approve a pending signature request (SEC_OPS, never its requester); the last approval needed signs it.",
		example: "ledgerctl sign approve 9b2e… 41d0…", run: signDecide},
	{name: "sign refuse", synopsis: "KEY-ID REQUEST-ID --reason TEXT", output: true, write: true,
		summary: "Refuse a pending signature request (SEC_OPS).", example: "ledgerctl sign refuse 9b2e… 41d0… --reason 'not this build'", run: signDecide},
}}

// progressFrom is the size from which sign file shows a progress bar on a terminal.
const progressFrom = 16 << 20

func signFile(ctx context.Context, cmd *command) int {
	alg := cmd.fs.String("digest", "sha256", "digest `ALG`: sha256, sha384 or sha512")
	out := cmd.fs.String("out", "", "where to write the detached CMS SignedData (default FILE.p7s)")
	artifact := cmd.fs.String("artifact", "", "the artifact's `NAME` on the record (default the file's base name)")
	wait := cmd.fs.Duration("wait", 0, "poll a pending request for this long (`DURATION`, such as 10m)")
	tsa := cmd.fs.String("timestamp", "", "timestamp the signature with the ledger's TSA of this signing key `ID`")
	var meta stringList
	cmd.fs.Var(&meta, "meta", "`KEY=VALUE` metadata on the record (repeatable)")
	if !cmd.parse(2) {
		return cmd.exit
	}
	keyID, path := cmd.arg(0), cmd.arg(1)
	metadata, err := parseMeta(meta)
	if err != nil {
		cmd.usageError("%v", err)
		return cmd.exit
	}
	digest, err := digestFile(path, *alg, cmd.stderr)
	if err != nil {
		fmt.Fprintf(cmd.stderr, "ledgerctl %s: %v\n", cmd.name, err)
		return exitFailure
	}
	if *artifact == "" {
		*artifact = filepath.Base(path)
	}
	if *out == "" {
		*out = path + ".p7s"
	}
	req, err := cmd.api.SignDigest(ctx, keyID, client.DigestToSign{Digest: hex.EncodeToString(digest), DigestAlgorithm: *alg,
		Artifact: *artifact, Metadata: metadata}, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	if req, err = cmd.awaitSignature(ctx, req, *wait); err != nil {
		return cmd.fail(err)
	}
	if err := cmd.stampIfSigned(ctx, &req, *tsa); err != nil {
		fmt.Fprintf(cmd.stderr, "ledgerctl %s: %v\n", cmd.name, err)
		return exitFailure
	}
	return cmd.finishSignature(req, *out)
}

// stampIfSigned replaces a signed request's CMS by the same timestamped by the TSA of key tsa,
// when tsa is set.
func (cmd *command) stampIfSigned(ctx context.Context, req *client.SignatureRequest, tsa string) error {
	if tsa == "" || req.Status != "signed" {
		return nil
	}
	stamped, err := cmd.timestampSignedData(ctx, tsa, req.CMS)
	if err == nil {
		req.CMS = stamped
	}
	return err
}

// awaitSignature polls a pending request every two seconds for at most wait.
func (cmd *command) awaitSignature(ctx context.Context, req client.SignatureRequest, wait time.Duration) (client.SignatureRequest, error) {
	var err error
	for deadline := time.Now().Add(wait); req.Status == "pending_approval" && time.Now().Before(deadline); {
		select {
		case <-ctx.Done():
			return req, ctx.Err()
		case <-time.After(2 * time.Second):
		}
		if req, err = cmd.api.GetSignature(ctx, req.KeyID, req.ID, cmd.options()...); err != nil {
			return req, err
		}
	}
	return req, nil
}

// finishSignature writes a signed request's .p7s, and exits 1 for one refused or voided.
func (cmd *command) finishSignature(req client.SignatureRequest, out string) int {
	code := cmd.show(func(w io.Writer) error { return signatureFields(w, req) })
	switch req.Status {
	case "signed":
		if out == "" {
			return code
		}
		if err := os.WriteFile(out, req.CMS, 0o644); err != nil {
			fmt.Fprintf(cmd.stderr, "ledgerctl %s: %v\n", cmd.name, err)
			return exitFailure
		}
		fmt.Fprintf(cmd.stderr, "wrote %s\n", out)
	case "pending_approval":
		fmt.Fprintf(cmd.stderr, "waiting for approvals; then: ledgerctl sign show %s %s --out %s\n", req.KeyID, req.ID, out)
	default:
		fmt.Fprintf(cmd.stderr, "ledgerctl %s: the request was %s %s\n", cmd.name, req.Status, req.RefusalReason)
		return exitRefused
	}
	return code
}

func signShow(ctx context.Context, cmd *command) int {
	out := cmd.fs.String("out", "", "write the detached CMS SignedData here once signed")
	tsa := cmd.fs.String("timestamp", "", "timestamp the signature with the ledger's TSA of this signing key `ID`")
	if !cmd.parse(2) {
		return cmd.exit
	}
	req, err := cmd.api.GetSignature(ctx, cmd.arg(0), cmd.arg(1), cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	if err := cmd.stampIfSigned(ctx, &req, *tsa); err != nil {
		fmt.Fprintf(cmd.stderr, "ledgerctl %s: %v\n", cmd.name, err)
		return exitFailure
	}
	return cmd.finishSignature(req, *out)
}

// signDecide runs approve or refuse, by the command's last word.
func signDecide(ctx context.Context, cmd *command) int {
	reason := cmd.fs.String("reason", "", "why, for the ledger's record (refuse)")
	if !cmd.parse(2) {
		return cmd.exit
	}
	var req client.SignatureRequest
	var err error
	if strings.HasSuffix(cmd.name, "approve") {
		req, err = cmd.api.ApproveSignature(ctx, cmd.arg(0), cmd.arg(1), cmd.options()...)
	} else {
		req, err = cmd.api.RefuseSignature(ctx, cmd.arg(0), cmd.arg(1), *reason, cmd.options()...)
	}
	if err != nil {
		return cmd.fail(err)
	}
	return cmd.show(func(w io.Writer) error { return signatureFields(w, req) })
}

func signatureFields(w io.Writer, r client.SignatureRequest) error {
	signed := ""
	if r.SignedAt != nil {
		signed = stamp(*r.SignedAt)
	}
	return printFields(w, "ID", r.ID, "Key", r.KeyID, "Status", r.Status, "Kind", r.Kind, "Artifact", r.Artifact,
		"Digest", r.DigestAlgorithm+":"+r.Digest, "Requested by", r.RequestedBy, "Requested at", stamp(r.RequestedAt),
		"Approvals", fmt.Sprintf("%d of %d: %s", len(r.Approvers), r.ApprovalsRequired, strings.Join(r.Approvers, ", ")),
		"Signed at", signed, "Refusal", r.RefusalReason, "Revision", fmt.Sprint(r.Revision))
}
