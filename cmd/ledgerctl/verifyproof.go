package main

import (
	"crypto"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/domain"
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
	return client.CheckInclusion(pub, client.InclusionProof{Checkpoint: b.Checkpoint, Event: b.Event, LeafIndex: b.LeafIndex,
		Proof: b.Proof, TreeSize: b.TreeSize})
}
