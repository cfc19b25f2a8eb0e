package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/certledger/certledger/api/client"
)

// bundleFormat names the proof bundle format `audit proof` writes and `audit verify-proof` reads.
const bundleFormat = "certledger.dev/audit-proof/v1"

// proofBundle is everything needed to check, offline, that an event is in a signed checkpoint:
// the event's chain hash, its leaf index and audit path, and the checkpoint with its signed note.
// KeyID is the id of the audit key the server served when the bundle was made; the verifier
// checks the key it is given against the checkpoint's key id, never trusting the bundle alone.
type proofBundle struct {
	Format     string            `json:"format"`
	Event      client.ProofEvent `json:"event"`
	LeafIndex  int64             `json:"leaf_index"`
	TreeSize   int64             `json:"tree_size"`
	Proof      [][]byte          `json:"proof"`
	Checkpoint client.Checkpoint `json:"checkpoint"`
	KeyID      string            `json:"key_id"`
}

var auditProofSpec = spec{name: "audit proof", synopsis: "EVENT-ID [--out FILE] [--tree-size N]",
	summary: "Fetch the proof that an event is in the latest signed checkpoint (or that of --tree-size) into a\n" +
		"self-contained JSON bundle, which 'ledgerctl audit verify-proof' checks offline. Exits 1 (409)\n" +
		"while no checkpoint covers the event yet.",
	example: "ledgerctl audit proof 3f9a… --out proof.json", run: auditProof}

var auditKeySpec = spec{name: "audit key", synopsis: "[--out FILE]",
	summary: "Download the audit public key (PEM) that signs checkpoints, to pin it for offline verification.\n" +
		"Its key id goes to stderr.",
	example: "ledgerctl audit key --out audit.pem", run: auditKey}

func auditProof(ctx context.Context, cmd *command) int {
	out := cmd.fs.String("out", "", "write the bundle to `FILE` instead of stdout")
	size := cmd.fs.Int64("tree-size", 0, "prove against the checkpoint of tree size `N` (default: the latest)")
	if !cmd.parse(1) {
		return cmd.exit
	}
	p, err := cmd.api.InclusionProof(ctx, cmd.arg(0), *size, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	_, keyID, err := cmd.api.AuditKey(ctx, cmd.options()...)
	if err != nil {
		return cmd.fail(err)
	}
	b := proofBundle{Format: bundleFormat, Event: p.Event, LeafIndex: p.LeafIndex, TreeSize: p.TreeSize, Proof: p.Proof,
		Checkpoint: p.Checkpoint, KeyID: keyID}
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		fmt.Fprintf(cmd.stderr, "ledgerctl %s: %v\n", cmd.name, err)
		return exitFailure
	}
	return cmd.save(append(data, '\n'), nil, *out)
}

func auditKey(ctx context.Context, cmd *command) int {
	out := cmd.fs.String("out", "", "write the PEM key to `FILE` instead of stdout")
	if !cmd.parse(0) {
		return cmd.exit
	}
	pemKey, keyID, err := cmd.api.AuditKey(ctx, cmd.options()...)
	if err == nil {
		fmt.Fprintf(cmd.stderr, "audit key id %s\n", keyID)
	}
	return cmd.save(pemKey, err, *out)
}
