package events

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// Stream categories of the ledger. A stream name is "<category>-<uuid>".
const (
	CategoryCA          = "ca"
	CategoryCertificate = "certificate"
	CategorySigningKey  = "signingkey"
	CategorySignature   = "signature"
	CategoryTimestamp   = "timestamp"
	CategoryEndpoint    = "endpoint"
	CategoryAgent       = "agent"
	CategoryDeployment  = "deployment"
	CategoryProfile     = "profile"
	CategoryAPIToken    = "apitoken"
	CategoryAudit       = "audit"
	CategoryDiscovered  = "discovered"
	CategoryDiscovery   = "discovery"
	CategoryACMEAccount = "acmeaccount"
	CategoryACMEOrder   = "acmeorder"
	// CategorySCEPChallenge is a one-time SCEP challenge password.
	CategorySCEPChallenge = "scepchallenge"
	CategoryACMEEAB       = "acmeeab"
)

// AuditCheckpointsID is the fixed entity id of AuditCheckpointStream.
var AuditCheckpointsID = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://certledger.dev/audit/checkpoints"))

// AuditCheckpointStream is the one stream of signed Merkle checkpoints over $all,
// "audit-<AuditCheckpointsID>". Its events are the only ledger events the checkpoints do not
// cover themselves.
var AuditCheckpointStream = StreamName(CategoryAudit, AuditCheckpointsID)

// StreamName returns the name of the stream of the entity id in category,
// "<category>-<uuid>" with the uuid in lowercase canonical form. The
// category must be non-empty, contain no '-' and not start with '$'.
func StreamName(category string, id uuid.UUID) string {
	return category + "-" + id.String()
}

// ParseStreamName splits a stream name made by StreamName into its category
// and entity id. It fails with ErrMalformed for any other name, including
// system streams and ids not in lowercase canonical form.
func ParseStreamName(s string) (category string, id uuid.UUID, err error) {
	category, rest, ok := strings.Cut(s, "-")
	switch {
	case !ok:
		return "", uuid.Nil, fmt.Errorf("parse stream name %q: no '-': %w", s, ErrMalformed)
	case category == "":
		return "", uuid.Nil, fmt.Errorf("parse stream name %q: empty category: %w", s, ErrMalformed)
	case IsSystemStream(s):
		return "", uuid.Nil, fmt.Errorf("parse stream name %q: system stream: %w", s, ErrMalformed)
	}
	id, err = uuid.Parse(rest)
	if err != nil {
		return "", uuid.Nil, fmt.Errorf("parse stream name %q: %w: %w", s, err, ErrMalformed)
	}
	if id.String() != rest {
		return "", uuid.Nil, fmt.Errorf("parse stream name %q: id is not a lowercase canonical UUID: %w", s, ErrMalformed)
	}
	return category, id, nil
}

// IsSystemStream reports whether s names a system stream of the store, one
// whose name starts with '$'. System streams are not part of the ledger.
func IsSystemStream(s string) bool {
	return strings.HasPrefix(s, "$")
}
