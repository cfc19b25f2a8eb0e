package events

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// CloudEventTypePrefix makes a ledger event type a CloudEvents type in reverse-DNS form:
// "CertificateIssued" becomes "dev.certledger.CertificateIssued".
const CloudEventTypePrefix = "dev.certledger."

// CloudEvent is a ledger event as a CloudEvents 1.0 message in structured JSON mode. The
// extension attributes carry what ties the event to the ledger's proofs: its revision in its
// stream, its position in $all, its hash and the previous one in the stream's chain, who caused
// it and the correlation id. Revision and position are strings: CloudEvents integers are 32-bit.
type CloudEvent struct {
	SpecVersion     string          `json:"specversion"`
	ID              string          `json:"id"`
	Source          string          `json:"source"`
	Type            string          `json:"type"`
	Subject         string          `json:"subject"`
	Time            time.Time       `json:"time"`
	DataContentType string          `json:"datacontenttype"`
	Data            json.RawMessage `json:"data"`
	Revision        string          `json:"ledgerrevision"`
	Position        string          `json:"ledgerposition"`
	Hash            string          `json:"ledgerhash"`
	PrevHash        string          `json:"ledgerprevhash"`
	Actor           string          `json:"ledgeractor"`
	CorrelationID   string          `json:"ledgercorrelationid,omitempty"`
}

// ToCloudEvent turns an event into a CloudEvent from source, a URI naming the ledger such as
// "urn:certledger:prod". The event id is the CloudEvent id, so consumers deduplicate on it.
func ToCloudEvent(e Envelope, source string) CloudEvent {
	data := json.RawMessage(e.Data)
	if !json.Valid(data) {
		data = json.RawMessage("null") // stored events are JSON; never emit a broken message
	}
	return CloudEvent{SpecVersion: "1.0", ID: e.ID.String(), Source: source, Type: CloudEventTypePrefix + e.Type,
		Subject: e.Stream, Time: e.Metadata.OccurredAt.UTC(), DataContentType: "application/json", Data: data,
		Revision: strconv.FormatUint(e.Revision, 10), Position: strconv.FormatUint(e.Position, 10),
		Hash: e.Hash.String(), PrevHash: e.PrevHash.String(), Actor: e.Metadata.Actor.Subject,
		CorrelationID: e.Metadata.CorrelationID}
}

// EventType returns the ledger event type of a CloudEvent.
func (c CloudEvent) EventType() (string, error) {
	if len(c.Type) <= len(CloudEventTypePrefix) || c.Type[:len(CloudEventTypePrefix)] != CloudEventTypePrefix {
		return "", fmt.Errorf("cloud event type %q is not a ledger event type", c.Type)
	}
	return c.Type[len(CloudEventTypePrefix):], nil
}
