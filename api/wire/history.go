package wire

import (
	"encoding/json"
	"time"
)

// History is the events of one stream, oldest first: the answer of the history routes.
type History struct {
	Events []HistoryEvent `json:"events"`
	Stream string         `json:"stream"`
}

// HistoryEvent is one event of a stream: who did what, when, and the hashes chaining it to the
// events before.
type HistoryEvent struct {
	ID            string     `json:"id"`
	Revision      uint64     `json:"revision"`
	Type          string     `json:"type"`
	OccurredAt    time.Time  `json:"occurred_at"`
	Actor         EventActor `json:"actor"`
	CorrelationID string     `json:"correlation_id,omitempty"`
	Position      uint64     `json:"position"`
	PrevHash      string     `json:"prev_hash"` // hex; zeros for the first event
	Hash          string     `json:"hash"`      // hex
	// Data is the event's payload, as it was stored.
	Data json.RawMessage `json:"data"`
}

// EventActor is who appended an event, as the event records it.
type EventActor struct {
	Subject    string   `json:"subject"`
	Roles      []string `json:"roles,omitempty"`
	Team       string   `json:"team,omitempty"`
	SourceAddr string   `json:"source_addr,omitempty"`
	UserAgent  string   `json:"user_agent,omitempty"`
}
