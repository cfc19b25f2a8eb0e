package domain

import "time"

// The time-stamp event type, as stored with every event and hashed into its stream's chain: a
// name never changes. A token is on its own stream "timestamp-<id>", opened by its
// SigningStarted intent (PurposeTimestamp), so that tokens of one TSA key never contend.
const TypeTimestampIssued = "TimestampIssued"

// timestampEvents are the events of a time-stamp token's stream, besides the signing events.
var timestampEvents = []EventSpec{specOf[TimestampIssued]()}

func timestampRef(id string) AggregateRef { return AggregateRef{Category: CategoryTimestamp, ID: id} }

// TimestampIssued records an RFC 3161 time-stamp token a TSA key signed after the intent
// announced its serial: what it asserts (the imprint existed at GenTime, under Policy) and
// the token itself.
type TimestampIssued struct {
	TimestampID string `json:"timestamp_id"`
	KeyID       string `json:"key_id"`
	// Serial is the token's serial number (lower-case hex), unique under the key.
	Serial string `json:"serial"`
	// CertificateSerial is the serial of the key's certificate, which the token names.
	CertificateSerial string          `json:"certificate_serial"`
	HashAlgorithm     DigestAlgorithm `json:"hash_algorithm"`
	MessageImprint    []byte          `json:"message_imprint"`
	GenTime           time.Time       `json:"gen_time"`
	Policy            string          `json:"policy"`
	// Nonce is the request's nonce in decimal; empty when it had none.
	Nonce string `json:"nonce,omitempty"`
	// Requester is who asked, when the request was authenticated; empty otherwise.
	Requester string `json:"requester,omitempty"`
	// Token is the TimeStampToken, the DER ContentInfo of the SignedData.
	Token    []byte    `json:"token"`
	IssuedAt time.Time `json:"issued_at"`
}

// EventType returns TypeTimestampIssued.
func (TimestampIssued) EventType() string { return TypeTimestampIssued }

// Aggregate returns the time-stamp token.
func (e TimestampIssued) Aggregate() AggregateRef { return timestampRef(e.TimestampID) }
