package events

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// sealedBody is the metadata body: the Metadata fields, then prev_hash.
// The prev_hash member must stay last; see the package doc.
type sealedBody struct {
	Metadata
	PrevHash Hash `json:"prev_hash"`
}

// Seal prepares a proposed event for appending at revision of stream, after
// the event whose hash is prev (zero at revision 0). It returns the custom
// metadata to store with the event and the event's chain hash. The event's
// type and data must be stored unchanged. OccurredAt is stored in UTC, and
// invalid UTF-8 in the metadata's strings is stored as U+FFFD.
//
// Seal fails with ErrInvalidEvent if the stream is empty or a system
// stream, the id is nil, the type is empty or starts with '$', the data is
// not valid JSON, or the schema version is below 1.
func Seal(stream string, revision uint64, prev Hash, p Proposed) (storedMetadata []byte, h Hash, err error) {
	if err := validateProposed(stream, p); err != nil {
		return nil, Hash{}, fmt.Errorf("seal %s event for %s@%d: %w", p.Type, stream, revision, err)
	}
	md := normalized(p.Metadata)
	body, err := json.Marshal(sealedBody{Metadata: md, PrevHash: prev})
	if err != nil {
		return nil, Hash{}, fmt.Errorf("seal %s event for %s@%d: encode metadata: %w: %w", p.Type, stream, revision, err, ErrInvalidEvent)
	}
	open := body[:len(body)-1] // drop the closing brace
	if err := checkLengths(stream, p.Type, p.Data, open); err != nil {
		return nil, Hash{}, fmt.Errorf("seal %s event for %s@%d: %w: %w", p.Type, stream, revision, err, ErrInvalidEvent)
	}

	c := hasherPool.Get().(*chainHasher)
	h = c.chainHash(prev, stream, revision, p.ID, p.Type, p.Data, open)
	hasherPool.Put(c)

	stored := make([]byte, 0, len(open)+hashSuffixLen)
	stored = append(stored, open...)
	stored = append(stored, hashMember...)
	stored = hex.AppendEncode(stored, h[:])
	stored = append(stored, closing...)
	if _, err := splitStored(stored); err != nil {
		// Unreachable unless sealedBody stops ending with prev_hash.
		return nil, Hash{}, fmt.Errorf("seal %s event for %s@%d: %w", p.Type, stream, revision, err)
	}
	return stored, h, nil
}

// normalized returns md with its time in UTC and invalid UTF-8 in its
// strings replaced by U+FFFD, so that the stored metadata decodes and
// re-encodes to exactly the same bytes.
func normalized(md Metadata) Metadata {
	valid := func(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
	md.OccurredAt = md.OccurredAt.UTC()
	md.Actor.Subject = valid(md.Actor.Subject)
	if md.Actor.Roles != nil {
		roles := make([]string, len(md.Actor.Roles))
		for i, role := range md.Actor.Roles {
			roles[i] = valid(role)
		}
		md.Actor.Roles = roles
	}
	md.Actor.Team = valid(md.Actor.Team)
	md.Actor.SourceAddr = valid(md.Actor.SourceAddr)
	md.Actor.UserAgent = valid(md.Actor.UserAgent)
	md.CorrelationID = valid(md.CorrelationID)
	md.CausationID = valid(md.CausationID)
	return md
}

// validateProposed checks what Seal requires of a proposed event.
func validateProposed(stream string, p Proposed) error {
	switch {
	case stream == "":
		return fmt.Errorf("empty stream name: %w", ErrInvalidEvent)
	case IsSystemStream(stream):
		return fmt.Errorf("system stream %q: %w", stream, ErrInvalidEvent)
	case p.ID == uuid.Nil:
		return fmt.Errorf("nil event id: %w", ErrInvalidEvent)
	case p.Type == "":
		return fmt.Errorf("empty event type: %w", ErrInvalidEvent)
	case strings.HasPrefix(p.Type, "$"):
		return fmt.Errorf("system event type %q: %w", p.Type, ErrInvalidEvent)
	case !json.Valid(p.Data):
		return fmt.Errorf("data is not valid JSON: %w", ErrInvalidEvent)
	case p.Metadata.SchemaVersion < 1:
		return fmt.Errorf("schema version %d is below 1: %w", p.Metadata.SchemaVersion, ErrInvalidEvent)
	case p.Metadata.Actor.Subject == "":
		return fmt.Errorf("no actor: every ledger event records who caused it: %w", ErrInvalidEvent)
	case p.Metadata.OccurredAt.IsZero():
		return fmt.Errorf("no occurred-at time: %w", ErrInvalidEvent)
	}
	return nil
}
