package wire

import "time"

// ReportMoment says which moment a report asked with ?as_of= shows: the position of the last
// event of $all at or before it (0: none yet) and the time the report counts from.
type ReportMoment struct {
	AsOf     string    `json:"as_of"` // as asked: a position or an RFC 3339 time
	Position uint64    `json:"position"`
	Time     time.Time `json:"time"`
}

// ReplayProgress answers a report asked ?as_of= a moment whose replay is still running (202):
// ask again after Retry-After seconds.
type ReplayProgress struct {
	Status      string `json:"status"` // "replaying"
	AsOf        string `json:"as_of"`
	EventsDone  uint64 `json:"events_done"`
	EventsTotal uint64 `json:"events_total"`
}
