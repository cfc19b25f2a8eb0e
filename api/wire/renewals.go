package wire

import "time"

// Renewal is a certificate's renewal state: due under its profile's policy (state "due"), an
// automatic attempt failed ("failed", with the attempts, the last error and the next
// attempt), or superseded by its successor ("renewed").
type Renewal struct {
	CertificateID string `json:"certificate_id"`
	CommonName    string `json:"common_name"`
	Team          string `json:"team"`
	Profile       string `json:"profile"`
	// Status is the certificate's status.
	Status        string    `json:"status"`
	Mode          string    `json:"mode"`
	State         string    `json:"state"`
	DueAt         time.Time `json:"due_at"`
	NotAfter      time.Time `json:"not_after"`
	Attempts      int       `json:"attempts"`
	LastError     string    `json:"last_error,omitempty"`
	NextAttemptAt time.Time `json:"next_attempt_at"`
	SuccessorID   string    `json:"successor_id,omitempty"`
}

// RenewalList is a page of renewals.
type RenewalList struct {
	Items      []Renewal `json:"items"`
	NextCursor string    `json:"next_cursor,omitempty"`
}
