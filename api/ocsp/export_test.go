package ocsp

import "time"

// SetClock lets tests move the responder's time.
func SetClock(r *Responder, now func() time.Time) { r.now = now }
