package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progressBar draws a one-line progress bar with the rate and the time left, redrawn in place on
// a terminal (carriage return) and printed as plain lines elsewhere.
type progressBar struct {
	out      io.Writer
	label    string
	inPlace  bool
	lastLine time.Time
	// unit names what is counted; empty is "events".
	unit string
}

const barWidth = 30

// update shows done of total at rate per second.
func (p *progressBar) update(done, total uint64, rate float64) {
	if !p.inPlace && time.Since(p.lastLine) < time.Second && done < total {
		return
	}
	p.lastLine = time.Now()
	fmt.Fprint(p.out, progressLineOf(p.label, p.unit, done, total, rate))
	if p.inPlace {
		fmt.Fprint(p.out, "\r")
	} else {
		fmt.Fprintln(p.out)
	}
}

// finish ends the bar's line.
func (p *progressBar) finish() {
	if p.inPlace {
		fmt.Fprintln(p.out)
	}
}

// progressLine renders "label [=====>     ]  45%  1234/2700 events  52,300 events/s  ETA 3s".
func progressLine(label string, done, total uint64, rate float64) string {
	return progressLineOf(label, "", done, total, rate)
}

// progressLineOf is progressLine counting unit ("events" when empty).
func progressLineOf(label, unit string, done, total uint64, rate float64) string {
	if unit == "" {
		unit = "events"
	}
	frac := 1.0
	if total > 0 {
		frac = min(float64(done)/float64(total), 1)
	}
	filled := int(frac * barWidth)
	bar := strings.Repeat("=", filled)
	if filled < barWidth {
		bar += ">" + strings.Repeat(" ", barWidth-filled-1)
	}
	eta := "-"
	if rate > 0 && total >= done {
		eta = (time.Duration(float64(total-done)/rate*float64(time.Second)) + time.Second/2).Truncate(time.Second).String()
	}
	return fmt.Sprintf("%s [%s] %3.0f%%  %d/%d %s  %.0f %s/s  ETA %s", label, bar, frac*100, done, total, unit, rate, unit, eta)
}
