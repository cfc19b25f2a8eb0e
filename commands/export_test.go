package commands

import "time"

// SetClock lets tests decide at a later time, such as after a certificate's end date.
func SetClock(h *Handlers, now func() time.Time) { h.now = now }
