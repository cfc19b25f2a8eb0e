package main

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/projections/audit"
)

// verifyProof runs `audit verify-proof --key FILE BUNDLE`: it checks a proof bundle offline,
// with nothing but the pinned audit key. Exit 0 VERIFIED, 1 FAILED naming the check, 2 when the
// files cannot be read.
func verifyProof(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("audit verify-proof", flag.ContinueOnError)
	fs.SetOutput(stderr)
	keyFile := fs.String("key", "", "the audit public key (PEM) you trust, as 'ledgerctl audit key' wrote it")
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return exitFailure
		}
		if fs.NArg() == 0 {
			break
		}
		files, args = append(files, fs.Arg(0)), fs.Args()[1:]
	}
	if *keyFile == "" || len(files) != 1 {
		fmt.Fprintln(stderr, "ledgerctl audit verify-proof: usage: ledgerctl audit verify-proof --key audit.pem bundle.json")
		return exitFailure
	}
	pub, err := readPublicKey(*keyFile)
	if err != nil {
		fmt.Fprintf(stderr, "ledgerctl audit verify-proof: %v\n", err)
		return exitFailure
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		fmt.Fprintf(stderr, "ledgerctl audit verify-proof: %v\n", err)
		return exitFailure
	}
	var b proofBundle
	if err := json.Unmarshal(raw, &b); err != nil {
		fmt.Fprintf(stdout, "FAILED: %s is not a proof bundle: %v\n", files[0], err)
		return exitBroken
	}
	body, err := checkBundle(pub, b)
	if err != nil {
		fmt.Fprintf(stdout, "FAILED: %v\n", err)
		return exitBroken
	}
	fmt.Fprintf(stdout, "VERIFIED: event %s (%s@%d) is leaf %d of the tree of size %d signed at %s by audit key %s\n",
		b.Event.ID, b.Event.Stream, b.Event.Revision, b.LeafIndex, body.TreeSize, body.SignedAt.Format(time.RFC3339Nano),
		b.Checkpoint.KeyID)
	return exitOK
}

// readPublicKey reads a PEM "PUBLIC KEY".
func readPublicKey(path string) (crypto.PublicKey, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(raw)
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, fmt.Errorf("%s holds no PEM PUBLIC KEY", path)
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return pub, nil
}

// checkBundle checks, in this order, that the checkpoint is signed by pub, that the signed note
// says the bundle's tree size and root, and that the audit path leads from the event's leaf to
// that root. It returns what the note says.
func checkBundle(pub crypto.PublicKey, b proofBundle) (domain.CheckpointBody, error) {
	var none domain.CheckpointBody
	if b.Format != bundleFormat {
		return none, fmt.Errorf("the bundle's format is %q, not %q", b.Format, bundleFormat)
	}
	cp := b.Checkpoint
	keyID, err := domain.AuditKeyID(pub)
	if err != nil {
		return none, err
	}
	if cp.KeyID != keyID {
		return none, fmt.Errorf("the checkpoint names audit key %s, not the given key %s", cp.KeyID, keyID)
	}
	if err := domain.VerifyCheckpointSignature(pub, cp.Note, cp.Signature); err != nil {
		return none, fmt.Errorf("the checkpoint's signature does not verify with the given key (%v)", err)
	}
	body, err := domain.ParseCheckpointNote(cp.Note)
	if err != nil {
		return none, fmt.Errorf("the signed note: %v", err)
	}
	if body.TreeSize != b.TreeSize || body.TreeSize != cp.TreeSize {
		return none, fmt.Errorf("the signed note is of a tree of size %d; the bundle says %d", body.TreeSize, b.TreeSize)
	}
	if !bytes.Equal(body.RootHash[:], cp.Root) {
		return none, fmt.Errorf("the signed note's root is %s; the bundle's checkpoint says %s",
			base64.StdEncoding.EncodeToString(body.RootHash[:]), base64.StdEncoding.EncodeToString(cp.Root))
	}
	eventHash, err := events.ParseHash(b.Event.Hash)
	if err != nil {
		return none, fmt.Errorf("the event's hash: %v", err)
	}
	proof := make(tlog.RecordProof, len(b.Proof))
	for i, h := range b.Proof {
		if len(h) != tlog.HashSize {
			return none, fmt.Errorf("proof hash %d has %d bytes, not %d", i, len(h), tlog.HashSize)
		}
		proof[i] = tlog.Hash(h)
	}
	err = tlog.CheckRecord(proof, body.TreeSize, tlog.Hash(body.RootHash), b.LeafIndex, audit.LeafHash(eventHash))
	if err != nil {
		return none, fmt.Errorf("the inclusion proof does not lead from event %s (hash %s) as leaf %d to the signed root of size %d: %w",
			b.Event.ID, b.Event.Hash, b.LeafIndex, body.TreeSize, err)
	}
	return body, nil
}
