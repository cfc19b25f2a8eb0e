package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/domain/cms"
)

// signAuthenticodeSpec signs a Windows PE with Authenticode, the PE staying here: osslsigncode
// computes its indirect data (the image hash), the ledger signs that, and osslsigncode attaches
// the signature, checking it against the key's chain as it does.
var signAuthenticodeSpec = spec{name: "sign authenticode", synopsis: "IN.exe --key KEY-ID [--out OUT.exe] [--digest sha256|sha384|sha512] [--wait DURATION] [--timestamp TSA-KEY-ID]",
	output: true, write: true,
	summary: "Sign a Windows PE with Authenticode without sending it: osslsigncode extract-data computes its\n" +
		"SpcIndirectDataContent (the PE image hash) here, the key signs it (under its policy and approvals,\n" +
		"recorded as an authenticode ArtifactSigned naming the file and hash), and osslsigncode\n" +
		"attach-signature writes OUT.exe (default IN-signed.exe). Needs osslsigncode on PATH. A key that\n" +
		"needs approvals leaves the request pending: --wait polls. --timestamp has osslsigncode add an\n" +
		"RFC 3161 timestamp from the ledger's TSA of that key. Check the result with osslsigncode verify\n" +
		"-CAfile chain.pem [-TSA-CAfile tsa-chain.pem] -in OUT.exe (chains from ledgerctl signing-key chain).",
	example: "ledgerctl sign authenticode app.exe --key 9b2e… --out app-signed.exe", run: signAuthenticode}

func signAuthenticode(ctx context.Context, cmd *command) int {
	keyID := cmd.fs.String("key", "", "the signing key's `ID`")
	alg := cmd.fs.String("digest", "sha256", "PE image hash `ALG`: sha256, sha384 or sha512")
	out := cmd.fs.String("out", "", "where to write the signed PE (default IN-signed.exe)")
	artifact := cmd.fs.String("artifact", "", "the artifact's `NAME` on the record (default the file's base name)")
	wait := cmd.fs.Duration("wait", 0, "poll a pending request for this long (`DURATION`, such as 10m)")
	tsa := cmd.fs.String("timestamp", "", "timestamp the signature with the ledger's TSA of this signing key `ID`")
	var meta stringList
	cmd.fs.Var(&meta, "meta", "`KEY=VALUE` metadata on the record (repeatable)")
	if !cmd.parse(1) || !cmd.need("--key", *keyID) {
		return cmd.exit
	}
	in := cmd.arg(0)
	metadata, err := parseMeta(meta)
	if err != nil {
		cmd.usageError("%v", err)
		return cmd.exit
	}
	if *out == "" {
		*out = strings.TrimSuffix(in, filepath.Ext(in)) + "-signed" + filepath.Ext(in)
	}
	if *artifact == "" {
		*artifact = filepath.Base(in)
	}
	failed := func(err error) int {
		fmt.Fprintf(cmd.stderr, "ledgerctl %s: %v\n", cmd.name, err)
		return exitFailure
	}
	tool, err := exec.LookPath("osslsigncode")
	if err != nil {
		return failed(errors.New("osslsigncode is not on PATH (Debian/Ubuntu: apt-get install osslsigncode): " +
			"it computes the PE's hash and attaches the signature"))
	}
	tmp, err := os.MkdirTemp(filepath.Dir(*out), ".ledgerctl-authenticode-")
	if err != nil {
		return failed(fmt.Errorf("a temporary directory next to %s: %w", *out, err))
	}
	defer os.RemoveAll(tmp)
	content, digest, err := indirectDataOf(tool, in, *alg, tmp)
	if err != nil {
		return failed(err)
	}
	req, err := cmd.api.SignDigest(ctx, *keyID, client.DigestToSign{Kind: "authenticode", Content: content,
		Digest: hex.EncodeToString(digest), DigestAlgorithm: *alg, Artifact: *artifact, Metadata: metadata}, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	if req, err = cmd.awaitSignature(ctx, req, *wait); err != nil {
		return cmd.fail(err)
	}
	if req.Status == "pending_approval" {
		code := cmd.show(func(w io.Writer) error { return signatureFields(w, req) })
		fmt.Fprintf(cmd.stderr, "waiting for approvals; then: ledgerctl sign show %s %s --out %s.p7s && osslsigncode "+
			"attach-signature -sigin %[3]s.p7s -CAfile chain.pem -in %[4]s -out %[5]s\n", req.KeyID, req.ID, in, in, *out)
		return code
	}
	if req.Status != "signed" {
		return cmd.finishSignature(req, "")
	}
	key, err := cmd.api.GetSigningKey(ctx, *keyID, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	if err := attachSignature(tool, in, *out, req.CMS, key.Chain, tmp); err != nil {
		return failed(err)
	}
	if *tsa != "" {
		if err := cmd.timestampPE(tool, *out, *tsa, tmp); err != nil {
			return failed(err)
		}
	}
	code := cmd.finishSignature(req, "")
	fmt.Fprintf(cmd.stderr, "wrote %s\n", *out)
	return code
}

// indirectDataOf runs osslsigncode extract-data on the PE and returns its SpcIndirectDataContent
// and the image hash in it.
func indirectDataOf(tool, pe, alg, tmp string) ([]byte, []byte, error) {
	data := filepath.Join(tmp, "data.p7")
	if out, err := exec.Command(tool, "extract-data", "-h", alg, "-in", pe, "-out", data).CombinedOutput(); err != nil {
		return nil, nil, fmt.Errorf("osslsigncode extract-data -in %s: %v: %s", pe, err, strings.TrimSpace(string(out)))
	}
	extracted, err := os.ReadFile(data)
	if err != nil {
		return nil, nil, fmt.Errorf("read the data osslsigncode extracted from %s: %w", pe, err)
	}
	content, err := cms.IndirectDataOf(extracted)
	if err != nil {
		return nil, nil, fmt.Errorf("the data osslsigncode extracted from %s: %w", pe, err)
	}
	_, digest, err := cms.ParseIndirectData(content)
	if err != nil {
		return nil, nil, fmt.Errorf("the data osslsigncode extracted from %s: %w", pe, err)
	}
	return content, digest, nil
}

// attachSignature has osslsigncode attach the SignedData to the PE, checking it against the
// key's chain, into tmp and then moves the signed PE to out (osslsigncode overwrites nothing).
func attachSignature(tool, pe, out string, signedData []byte, chainPEM, tmp string) error {
	sig, chain, signed := filepath.Join(tmp, "sig.p7s"), filepath.Join(tmp, "chain.pem"), filepath.Join(tmp, "signed.exe")
	if err := os.WriteFile(sig, signedData, 0o600); err != nil {
		return fmt.Errorf("write the signature: %w", err)
	}
	if err := os.WriteFile(chain, []byte(chainPEM), 0o600); err != nil {
		return fmt.Errorf("write the key's chain: %w", err)
	}
	if b, err := exec.Command(tool, "attach-signature", "-sigin", sig, "-CAfile", chain, "-in", pe, "-out", signed).CombinedOutput(); err != nil {
		return fmt.Errorf("osslsigncode attach-signature to %s: %v: %s", pe, err, strings.TrimSpace(string(b)))
	}
	if err := os.Rename(signed, out); err != nil {
		return fmt.Errorf("move the signed PE to %s: %w", out, err)
	}
	return nil
}
