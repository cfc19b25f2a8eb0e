package siem

import (
	"context"
	"errors"
)

// The forwarder sorts delivery errors into three kinds:
//   - unavailable: the sink cannot take anything right now (unreachable, overloaded, timing out).
//     The delivery is retried, and when the retries are used up the event is redelivered later;
//     it is never poisoned, so an outage holds the sink back instead of emptying it into the
//     poison destination.
//   - permanent: the sink rejected this event and will reject it again (a webhook's 4xx other
//     than 408 and 429). The event goes to the poison destination without further retries.
//   - anything else: the sink rejected this event for a reason that may pass. It is retried,
//     then poisoned.

// unavailableError marks an error of an unreachable or overloaded sink.
type unavailableError struct{ err error }

func (e unavailableError) Error() string { return "sink unavailable: " + e.err.Error() }
func (e unavailableError) Unwrap() error { return e.err }

// unavailable marks err as an error of an unreachable sink; nil stays nil.
func unavailable(err error) error {
	if err == nil || isUnavailable(err) {
		return err
	}
	return unavailableError{err}
}

// isUnavailable tells whether err says the sink was unreachable, or the forwarder is stopping.
func isUnavailable(err error) bool {
	var u unavailableError
	return errors.As(err, &u) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// permanentError marks an error that retrying cannot fix.
type permanentError struct{ err error }

func (e permanentError) Error() string { return "rejected permanently: " + e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// permanent marks err as a rejection that retrying cannot fix; nil stays nil.
func permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// isPermanent tells whether err is a permanent rejection.
func isPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}
