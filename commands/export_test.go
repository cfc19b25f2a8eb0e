package commands

import "time"

// SetClock lets tests decide at a later time, such as after a certificate's end date: every
// handler of app decides on the same clock.
func SetClock(app *Application, now func() time.Time) { app.core.now = now }
