package main

import (
	"fmt"
	"time"
)

// parseSince reads key-usage's --since: an RFC 3339 time, or a duration back from now such
// as 72h. The empty string is the zero time: everything.
func parseSince(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("--since %q is neither an RFC 3339 time (2026-12-01T00:00:00Z) nor a duration (72h)", s)
}

// usesSince keeps the uses at or after since.
func usesSince(uses []keyUse, since time.Time) []keyUse {
	out := make([]keyUse, 0, len(uses))
	for _, u := range uses {
		if !u.Time.Before(since) {
			out = append(out, u)
		}
	}
	return out
}

// since keeps the key's events and signature requests at or after t: a request is dated by
// its signature once signed, by its request before. This is what a compromised key signed
// after the moment it may have leaked.
func (u signingKeyUsage) since(t time.Time) signingKeyUsage {
	u.Events = usesSince(u.Events, t)
	sigs := make([]artifactUse, 0, len(u.Signatures))
	for _, s := range u.Signatures {
		if !s.Time.Before(t) {
			sigs = append(sigs, s)
		}
	}
	u.Signatures = sigs
	return u
}
