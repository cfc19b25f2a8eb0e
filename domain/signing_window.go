package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MaxSigningWindows bounds a policy's time windows.
const MaxSigningWindows = 16

// signingWindow is one time window of a signing policy, in UTC: "[DAYS ]HH:MM-HH:MM", such as
// "mon-fri 08:00-18:00", "sat,sun 10:00-12:00" or "22:00-02:00". DAYS are three-letter days
// and ranges of them (every day when left out); the start is inclusive, the end exclusive
// (24:00 is midnight), and an end before the start runs past midnight into the next day.
type signingWindow struct {
	days        [7]bool // by time.Weekday
	from, until int     // minutes after midnight
}

var weekdays = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday,
	"wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}

// parseSigningWindow reads a window; its canonical text is the input lowercased and trimmed.
func parseSigningWindow(s string) (signingWindow, error) {
	var w signingWindow
	fields := strings.Fields(strings.ToLower(s))
	switch len(fields) {
	case 1:
		w.days = [7]bool{true, true, true, true, true, true, true}
	case 2:
		if err := w.parseDays(fields[0]); err != nil {
			return w, err
		}
		fields = fields[1:]
	default:
		return w, fmt.Errorf("window %q: want [DAYS ]HH:MM-HH:MM, such as mon-fri 08:00-18:00", s)
	}
	from, until, ok := strings.Cut(fields[0], "-")
	var err error
	if !ok {
		return w, fmt.Errorf("window %q: the hours are HH:MM-HH:MM", s)
	}
	if w.from, err = minutesOf(from, false); err == nil {
		w.until, err = minutesOf(until, true)
	}
	if err == nil && w.from == w.until {
		err = fmt.Errorf("starts and ends at %s", from)
	}
	if err != nil {
		return w, fmt.Errorf("window %q: %v", s, err)
	}
	return w, nil
}

// parseDays reads "mon-fri", "sat,sun" or "mon,wed-fri".
func (w *signingWindow) parseDays(s string) error {
	for _, part := range strings.Split(s, ",") {
		first, last, isRange := strings.Cut(part, "-")
		if !isRange {
			last = first
		}
		a, ok1 := weekdays[first]
		b, ok2 := weekdays[last]
		if !ok1 || !ok2 {
			return fmt.Errorf("days %q: use mon, tue, wed, thu, fri, sat, sun and ranges such as mon-fri", s)
		}
		for d := a; ; d = (d + 1) % 7 {
			w.days[d] = true
			if d == b {
				break
			}
		}
	}
	return nil
}

// minutesOf reads HH:MM; 24:00 only as an end.
func minutesOf(s string, end bool) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	hours, err1 := strconv.Atoi(h)
	mins, err2 := strconv.Atoi(m)
	switch {
	case !ok || len(h) != 2 || len(m) != 2 || err1 != nil || err2 != nil || mins < 0 || mins > 59 || hours < 0:
		return 0, fmt.Errorf("%q is not HH:MM", s)
	case hours == 24 && mins == 0 && end:
		return 24 * 60, nil
	case hours > 23:
		return 0, fmt.Errorf("%q is past the end of the day", s)
	}
	return hours*60 + mins, nil
}

// contains says whether t falls in the window (in UTC).
func (w signingWindow) contains(t time.Time) bool {
	t = t.UTC()
	m, d := t.Hour()*60+t.Minute(), t.Weekday()
	if w.from < w.until {
		return w.days[d] && m >= w.from && m < w.until
	}
	return (w.days[d] && m >= w.from) || (w.days[(d+6)%7] && m < w.until)
}
