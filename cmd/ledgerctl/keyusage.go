package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

const keyUsageUsage = `Usage: ledgerctl audit key-usage <CA id | signing key id | HSM key label> [--since T] [-o table|json] [--eventstore-url URL]

A signing key's list is its lifecycle and every signature request: artifact, requester, approvers.

List every event in which a CA's key signed or was used: the CA's creation (its key generated,
its certificate self-signed or signed by its parent), every certificate and intermediate CA
certificate it signed, every serial it may have signed that was voided (never valid, revoked on
its CRL), its OCSP responder certifications and its revocation, with time, actor,
stream@revision, type, subject and serial. --since T (RFC 3339, or a duration back from now
such as 72h) keeps only what happened at or after T: what a compromised key signed after it
may have leaked. It reads $all from the event store. CRLs and OCSP
responses are signed too, but not recorded as events. 'ledgerctl cert history ID' lists the
events of one certificate.

Example: ledgerctl audit key-usage 8d566bfa-f65a-594a-baaf-9f74e992de67

Flags:
`

// notRecorded is the footer of key-usage: what the key signs without an event.
const notRecorded = "CRLs and OCSP responses are signed with the CA's key (OCSP also with its responder key) " +
	"when they are served; that signing is not recorded as events, so it is not listed."

// keyUse is one event in which the CA's key signed or was used.
type keyUse struct {
	Position uint64    `json:"position"`
	Time     time.Time `json:"time"` // the event's occurred_at
	Actor    string    `json:"actor"`
	Stream   string    `json:"stream"`
	Revision uint64    `json:"revision"`
	Type     string    `json:"type"`
	Use      string    `json:"use"`
	Subject  string    `json:"subject,omitempty"`
	Serial   string    `json:"serial,omitempty"`
}

// keyUsage is what key-usage prints.
type keyUsage struct {
	CAID        string   `json:"ca_id"`
	KeyLabel    string   `json:"key_label"`
	Uses        []keyUse `json:"uses"`
	NotRecorded string   `json:"not_recorded"`
}

// auditKeyUsage runs `audit key-usage`.
func auditKeyUsage(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("audit key-usage", flag.ContinueOnError)
	output := fs.String("o", "table", "output `FORMAT`: table or json")
	url := fs.String("eventstore-url", "", "event store connection string")
	sinceFlag := fs.String("since", "", "only what happened at or after `T` (RFC 3339, or a duration back from now such as 72h)")
	pos, code, ok := parseInterspersed(fs, keyUsageUsage, args, stdout, stderr)
	if !ok {
		return code
	}
	since, err := parseSince(*sinceFlag, time.Now())
	if err != nil {
		fmt.Fprintf(stderr, "ledgerctl audit key-usage: %v\n", err)
		return exitFailure
	}
	if len(pos) != 1 || (*output != "table" && *output != "json") {
		fmt.Fprintf(stderr, "ledgerctl audit key-usage: give one CA id or HSM key label, and -o table or json\n"+
			"Run 'ledgerctl audit key-usage --help' for its flags and an example.\n")
		return exitFailure
	}
	store, ok := connect(*url, stderr)
	if !ok {
		return exitFailure
	}
	defer store.Close()
	if id, err := uuid.Parse(pos[0]); err == nil {
		if u, found, err := scanSigningKey(ctx, store, id.String()); err != nil || found {
			return printKeyUsageOf(u.since(since), err, *output, stdout, stderr)
		}
	}
	scan := keyScan{usage: keyUsage{Uses: []keyUse{}, NotRecorded: notRecorded}}
	if id, err := uuid.Parse(pos[0]); err == nil {
		scan.usage.CAID = id.String()
	} else {
		scan.usage.KeyLabel = pos[0]
	}
	filter := events.Filter{StreamPrefixes: []string{events.CategoryCA + "-", events.CategoryCertificate + "-"}}
	for raw, err := range store.ReadAllMatching(ctx, 0, filter) {
		if err == nil {
			err = scan.add(raw)
		}
		if err != nil {
			fmt.Fprintf(stderr, "ledgerctl: audit key-usage: %v\n", err)
			return exitFailure
		}
	}
	if !scan.found {
		fmt.Fprintf(stderr, "ledgerctl: audit key-usage: no CA with id or HSM key label %q in the ledger\n", pos[0])
		return exitFailure
	}
	scan.usage.Uses = usesSince(scan.usage.Uses, since)
	if *output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(scan.usage)
		return exitOK
	}
	fmt.Fprintf(stdout, "CA %s, HSM key %s\n\n", scan.usage.CAID, scan.usage.KeyLabel)
	t := newTable(stdout, "TIME", "ACTOR", "EVENT", "TYPE", "USE", "SUBJECT", "SERIAL")
	for _, u := range scan.usage.Uses {
		t.row(u.Time.UTC().Format(time.RFC3339), u.Actor, fmt.Sprintf("%s@%d", u.Stream, u.Revision), u.Type, u.Use, u.Subject, u.Serial)
	}
	_ = t.flush()
	fmt.Fprintf(stdout, "\n%d events. %s\n", len(scan.usage.Uses), notRecorded)
	return exitOK
}

// keyScan collects the uses of one CA's key from $all, in order. Until the CA's creation is
// seen, only its id or its key label is known; an event is decoded only when its data names
// the CA.
type keyScan struct {
	usage keyUsage
	found bool
}

// caEvent has the fields of every CA event key-usage reads.
type caEvent struct {
	domain.CAIntermediateCreated
	KeyLabel string                  `json:"key_label"` // CAResponderCertified
	Reason   domain.RevocationReason `json:"reason"`    // CARevoked
}

func (s *keyScan) add(raw events.Raw) error {
	known := s.usage.CAID
	if !s.found && s.usage.KeyLabel != "" {
		known = s.usage.KeyLabel
	}
	if known == "" || !bytes.Contains(raw.Data, []byte(known)) {
		return nil
	}
	var use, subject, serial string
	switch raw.Type {
	case domain.TypeCARootCreated, domain.TypeCAIntermediateCreated, domain.TypeCAResponderCertified, domain.TypeCARevoked:
		var e caEvent
		if err := json.Unmarshal(raw.Data, &e); err != nil {
			return fmt.Errorf("decode %s %s@%d: %w", raw.Type, raw.Stream, raw.Revision, err)
		}
		use, subject, serial = s.caUse(raw.Type, e)
	case domain.TypeCertificateIssued:
		var e domain.CertificateIssued
		if err := json.Unmarshal(raw.Data, &e); err != nil {
			return fmt.Errorf("decode %s %s@%d: %w", raw.Type, raw.Stream, raw.Revision, err)
		}
		if s.found && e.CAID == s.usage.CAID {
			use, serial = "signed a certificate", e.Serial
			if cert, err := x509.ParseCertificate(e.CertificateDER); err == nil {
				subject = cert.Subject.CommonName
			}
		}
	case domain.TypeSignatureVoided:
		var e domain.SignatureVoided
		if err := json.Unmarshal(raw.Data, &e); err != nil {
			return fmt.Errorf("decode %s %s@%d: %w", raw.Type, raw.Stream, raw.Revision, err)
		}
		if s.found && e.CAID == s.usage.CAID {
			use, subject, serial = "may have signed a serial that is never valid ("+e.Reason+")", e.Subject, e.Serial
		}
	}
	if use == "" {
		return nil
	}
	env, err := events.ParseEnvelope(raw)
	if err != nil {
		return err
	}
	s.usage.Uses = append(s.usage.Uses, keyUse{Position: raw.Position, Time: env.Metadata.OccurredAt.UTC(),
		Actor: env.Metadata.Actor.Subject, Stream: raw.Stream, Revision: raw.Revision, Type: raw.Type,
		Use: use, Subject: subject, Serial: serial})
	return nil
}

// caUse says how a CA event used the key, "" when it did not.
func (s *keyScan) caUse(eventType string, e caEvent) (use, subject, serial string) {
	created := eventType == domain.TypeCARootCreated || eventType == domain.TypeCAIntermediateCreated
	if created && !s.found && (e.CAID == s.usage.CAID || (s.usage.KeyLabel != "" && e.HSMKeyLabel == s.usage.KeyLabel)) {
		s.found, s.usage.CAID, s.usage.KeyLabel = true, e.CAID, e.HSMKeyLabel
		if eventType == domain.TypeCARootCreated {
			return "key generated; CA certificate self-signed", e.CommonName, e.Serial
		}
		return "key generated; CA certificate signed by parent CA " + e.ParentID, e.CommonName, e.Serial
	}
	if !s.found {
		return "", "", ""
	}
	switch {
	case eventType == domain.TypeCAIntermediateCreated && e.ParentID == s.usage.CAID:
		return "signed the certificate of intermediate CA " + e.CAID, e.CommonName, e.Serial
	case eventType == domain.TypeCAResponderCertified && e.CAID == s.usage.CAID:
		return "signed the OCSP responder certificate of key " + e.KeyLabel, "", e.Serial
	case eventType == domain.TypeCARevoked && e.CAID == s.usage.CAID:
		return "CA revoked (" + strings.TrimSpace(e.Reason.String()) + "); it issues nothing more", "", e.Serial
	}
	return "", "", ""
}
