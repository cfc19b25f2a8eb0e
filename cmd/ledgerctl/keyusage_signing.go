package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/codec"
	"github.com/certledger/certledger/events"
)

// artifactUse is one signature request of a signing key, as key-usage lists it.
type artifactUse struct {
	RequestID   string    `json:"request_id"`
	Time        time.Time `json:"time"`
	Status      string    `json:"status"`
	Artifact    string    `json:"artifact"`
	Digest      string    `json:"digest"`
	RequestedBy string    `json:"requested_by"`
	Approvers   []string  `json:"approvers"`
	Serial      string    `json:"serial,omitempty"`
}

// signingKeyUsage is what key-usage prints for a signing key.
type signingKeyUsage struct {
	KeyID      string        `json:"key_id"`
	KeyLabel   string        `json:"key_label"`
	Events     []keyUse      `json:"events"`
	Signatures []artifactUse `json:"signatures"`
}

// scanSigningKey reads the signing key and signature streams of $all for the key id: its
// lifecycle events and every request, with its requester, approvers and outcome. found is
// false when no signing key has the id.
func scanSigningKey(ctx context.Context, store *eventstore.Store, id string) (u signingKeyUsage, found bool, err error) {
	reg, err := codec.NewRegistry()
	if err != nil {
		return u, false, err
	}
	u = signingKeyUsage{KeyID: id, Events: []keyUse{}, Signatures: []artifactUse{}}
	byRequest := map[string]int{}
	filter := events.Filter{StreamPrefixes: []string{events.CategorySigningKey + "-", events.CategorySignature + "-"}}
	for raw, err := range store.ReadAllMatching(ctx, 0, filter) {
		if err != nil {
			return u, false, err
		}
		env, err := events.ParseEnvelope(raw)
		if err != nil {
			return u, false, err
		}
		if _, known := reg.Version(env.Type); !known {
			continue
		}
		v, err := codec.Decode(reg, env)
		if err != nil {
			return u, false, fmt.Errorf("decode %s %s@%d: %w", raw.Type, raw.Stream, raw.Revision, err)
		}
		use := func(what, serial string) {
			u.Events = append(u.Events, keyUse{Position: raw.Position, Time: env.Metadata.OccurredAt.UTC(),
				Actor: env.Metadata.Actor.Subject, Stream: raw.Stream, Revision: raw.Revision, Type: raw.Type, Use: what, Serial: serial})
		}
		i, ours := byRequest[v.Aggregate().ID]
		switch e := v.(type) {
		case domain.SigningKeyCreated:
			if e.KeyID == id {
				found, u.KeyLabel = true, e.HSMKeyLabel
				use("key generated; certificate signed by CA "+e.CAID, e.Serial)
			}
		case domain.SigningKeyDisabled, domain.SigningKeyEnabled, domain.SigningKeyRevoked:
			if e.Aggregate().ID == id {
				use(strings.TrimPrefix(e.EventType(), "SigningKey"), "")
			}
		case domain.SigningKeyRotated:
			if e.KeyID == id {
				use("Rotated: succeeded by signing key "+e.SuccessorID+"; signs nothing more", "")
			}
		case domain.SignatureRequested:
			if e.KeyID == id {
				byRequest[e.RequestID] = len(u.Signatures)
				u.Signatures = append(u.Signatures, artifactUse{RequestID: e.RequestID, Time: e.RequestedAt, Status: string(domain.SignatureStatusPending),
					Artifact: e.Artifact, Digest: string(e.DigestAlgorithm) + ":" + hex.EncodeToString(e.Digest), RequestedBy: e.RequestedBy, Approvers: []string{}})
			}
		case domain.SignatureApproved:
			if ours {
				u.Signatures[i].Approvers = append(u.Signatures[i].Approvers, e.ApprovedBy)
			}
		case domain.ArtifactSigned:
			if ours {
				u.Signatures[i].Status, u.Signatures[i].Serial, u.Signatures[i].Time = string(domain.SignatureStatusSigned), e.Serial, e.SignedAt
			}
		case domain.SignatureRefused:
			if ours {
				u.Signatures[i].Status = string(domain.SignatureStatusRefused)
			}
		case domain.SignatureVoided:
			if ours {
				u.Signatures[i].Status, u.Signatures[i].Serial = string(domain.SignatureStatusVoided), e.Serial
			}
		}
	}
	return u, found, nil
}

// printSigningKeyUsage writes the key's events and signatures as tables.
func printSigningKeyUsage(w io.Writer, u signingKeyUsage) {
	fmt.Fprintf(w, "Signing key %s, HSM key %s\n\n", u.KeyID, u.KeyLabel)
	t := newTable(w, "TIME", "ACTOR", "EVENT", "TYPE", "USE", "SERIAL")
	for _, e := range u.Events {
		t.row(e.Time.Format(time.RFC3339), e.Actor, fmt.Sprintf("%s@%d", e.Stream, e.Revision), e.Type, e.Use, e.Serial)
	}
	_ = t.flush()
	fmt.Fprintln(w)
	t = newTable(w, "TIME", "REQUEST", "STATUS", "ARTIFACT", "REQUESTED BY", "APPROVERS", "DIGEST")
	for _, s := range u.Signatures {
		t.row(s.Time.UTC().Format(time.RFC3339), s.RequestID, s.Status, s.Artifact, s.RequestedBy, strings.Join(s.Approvers, ","), s.Digest)
	}
	_ = t.flush()
	fmt.Fprintf(w, "\n%d signature requests.\n", len(u.Signatures))
}

// printKeyUsageOf prints a signing key's usage as a table or JSON, or the error that stopped
// the scan.
func printKeyUsageOf(u signingKeyUsage, err error, output string, stdout, stderr io.Writer) int {
	if err != nil {
		fmt.Fprintf(stderr, "ledgerctl: audit key-usage: %v\n", err)
		return exitFailure
	}
	if output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(u)
		return exitOK
	}
	printSigningKeyUsage(stdout, u)
	return exitOK
}
