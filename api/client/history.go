package client

import (
	"encoding/json"
	"time"
)

// History is the events of one stream, oldest first, as the history routes show them.
type History struct {
	Stream string  `json:"stream"`
	Events []Event `json:"events"`
}

// Event is one event of a stream: who did what, when, and the hashes chaining it to the
// events before.
type Event struct {
	ID            string          `json:"id"`
	Revision      uint64          `json:"revision"`
	Type          string          `json:"type"`
	OccurredAt    time.Time       `json:"occurred_at"`
	Actor         Actor           `json:"actor"`
	CorrelationID string          `json:"correlation_id,omitempty"`
	Position      uint64          `json:"position"`
	PrevHash      string          `json:"prev_hash"`
	Hash          string          `json:"hash"`
	Data          json.RawMessage `json:"data"`
}

// Actor is who appended an event, as the event records it.
type Actor struct {
	Subject    string   `json:"subject"`
	Roles      []string `json:"roles,omitempty"`
	Team       string   `json:"team,omitempty"`
	SourceAddr string   `json:"source_addr,omitempty"`
	UserAgent  string   `json:"user_agent,omitempty"`
}
