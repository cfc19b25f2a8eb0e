package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Actor is who or what caused an event.
type Actor struct {
	// Subject identifies the user, agent or token, for example a JWT subject.
	Subject string `json:"subject"`
	// Roles are the roles the actor held when acting.
	Roles []string `json:"roles,omitempty"`
	// Team is the actor's team, for team-scoped roles.
	Team string `json:"team,omitempty"`
	// SourceAddr is the network address the request came from.
	SourceAddr string `json:"source_addr,omitempty"`
	// UserAgent is the client's user agent.
	UserAgent string `json:"user_agent,omitempty"`
}

// Metadata is the ledger's part of a stored event's metadata.
type Metadata struct {
	// SchemaVersion is the version of the event type's data schema, from 1.
	SchemaVersion int `json:"schema_version"`
	// OccurredAt is when the event happened, in UTC (stored as RFC 3339
	// with nanoseconds).
	OccurredAt time.Time `json:"occurred_at"`
	// Actor is who or what caused the event.
	Actor Actor `json:"actor"`
	// CorrelationID ties together the events of one business process.
	CorrelationID string `json:"correlation_id,omitempty"`
	// CausationID is the id of the command or event that caused this one.
	CausationID string `json:"causation_id,omitempty"`
}

// Proposed is an event a command wants to append.
type Proposed struct {
	// ID is the event id; use EventID so that retries yield the same ids.
	ID uuid.UUID
	// Type is the event type, for example "CertificateIssued".
	Type string
	// Data is the event's JSON payload.
	Data []byte
	// Metadata is the ledger metadata to seal with the event.
	Metadata Metadata
}

// Raw is an event as read back from the store: exactly the stored bytes.
type Raw struct {
	// Stream is the name of the event's stream.
	Stream string
	// Revision is the event's position in its stream, from 0.
	Revision uint64
	// ID is the event id.
	ID uuid.UUID
	// Type is the event type.
	Type string
	// Data is the exact stored data bytes.
	Data []byte
	// StoredMetadata is the exact stored custom-metadata bytes, as Seal
	// returned them.
	StoredMetadata []byte
	// Position is the commit position in $all, or 0 when unknown.
	Position uint64
	// Recorded is the time the store recorded the event.
	Recorded time.Time
}

// Envelope is a decoded ledger event whose stored metadata has the
// required shape. ParseEnvelope does not verify the hash chain; use a
// Verifier for that.
type Envelope struct {
	// ID is the event id.
	ID uuid.UUID
	// Stream is the name of the event's stream.
	Stream string
	// Revision is the event's position in its stream, from 0.
	Revision uint64
	// Type is the event type.
	Type string
	// Data is the event's JSON payload; it shares memory with Raw.Data.
	Data []byte
	// Metadata is the decoded ledger metadata.
	Metadata Metadata
	// PrevHash is the stored hash of the previous event in the stream.
	PrevHash Hash
	// Hash is the stored hash of this event.
	Hash Hash
	// Position is the commit position in $all, or 0 when unknown.
	Position uint64
	// Recorded is the time the store recorded the event.
	Recorded time.Time
}

// storedMetadata is the JSON object stored as an event's custom metadata.
type storedMetadata struct {
	Metadata
	PrevHash Hash `json:"prev_hash"`
	Hash     Hash `json:"hash"`
}

// ParseEnvelope decodes the stored metadata of r and returns the event as an
// Envelope. It rejects events without an id or type, schema versions below
// 1, and stored metadata that is not exactly as Seal writes it: a JSON
// object of the known members in their fixed order, ending in prev_hash and
// hash. It does not look into the data; Registry.Decode does.
func ParseEnvelope(r Raw) (Envelope, error) {
	m, err := parseEvent(r)
	if err != nil {
		return Envelope{}, fmt.Errorf("parse event %s@%d: %w", r.Stream, r.Revision, err)
	}
	return Envelope{
		ID:       r.ID,
		Stream:   r.Stream,
		Revision: r.Revision,
		Type:     r.Type,
		Data:     r.Data,
		Metadata: m.Metadata,
		PrevHash: m.PrevHash,
		Hash:     m.Hash,
		Position: r.Position,
		Recorded: r.Recorded,
	}, nil
}

// parseEvent checks the shape of r and decodes its stored metadata. Its
// errors wrap ErrMalformed.
func parseEvent(r Raw) (storedMetadata, error) {
	var m storedMetadata
	switch {
	case r.ID == uuid.Nil:
		return m, fmt.Errorf("nil event id: %w", ErrMalformed)
	case r.Type == "":
		return m, fmt.Errorf("empty event type: %w", ErrMalformed)
	}
	tail, err := splitStored(r.StoredMetadata)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(r.StoredMetadata, &m); err != nil {
		if errors.Is(err, ErrMalformed) { // from Hash.UnmarshalText
			return m, fmt.Errorf("metadata: %w", err)
		}
		return m, fmt.Errorf("metadata: %v: %w", err, ErrMalformed)
	}
	if m.SchemaVersion < 1 {
		return m, fmt.Errorf("schema version %d is below 1: %w", m.SchemaVersion, ErrMalformed)
	}
	// Only the exact bytes Seal writes are accepted: this rules out unknown,
	// duplicate or differently spelled members, which different JSON
	// decoders might read differently.
	body, err := json.Marshal(sealedBody{Metadata: m.Metadata, PrevHash: m.PrevHash})
	if err != nil || !bytes.Equal(body[:len(body)-1], tail.open) || m.Hash.String() != string(tail.hashHex) {
		return m, fmt.Errorf("metadata: not in the canonical form Seal writes: %w", ErrMalformed)
	}
	return m, nil
}
