package domain

import (
	"errors"
	"fmt"
	"strings"
)

// ErrorKind classifies a domain error, so that callers can map it to a response once.
type ErrorKind string

// The kinds of domain errors.
const (
	// KindInvalid says the input could not be understood: unparsable, malformed or missing.
	KindInvalid ErrorKind = "invalid"
	// KindPolicy says the input was understood but breaks a policy; Violations lists each rule.
	KindPolicy ErrorKind = "policy"
	// KindConflict says the aggregate is in a state that does not allow the decision.
	KindConflict ErrorKind = "conflict"
	// KindNotFound says an aggregate the decision needs does not exist.
	KindNotFound ErrorKind = "not_found"
	// KindForbidden says the actor may not make the decision.
	KindForbidden ErrorKind = "forbidden"
)

// Violation is one broken rule: which field, which rule, and a message for people.
type Violation struct {
	// Field names the part of the input that breaks the rule, for example "dns_names".
	Field string `json:"field"`
	// Rule is a stable identifier of the rule, for example "domain_not_allowed".
	Rule string `json:"rule"`
	// Message explains the violation, naming the offending value.
	Message string `json:"message"`
}

// Error is the error every domain decision returns when it refuses.
type Error struct {
	// Kind classifies the error.
	Kind ErrorKind
	// Message says what was refused and why.
	Message string
	// Violations lists every broken rule; it is set for KindPolicy and may be set for KindInvalid.
	Violations []Violation
}

// Error returns the message followed by every violation.
func (e *Error) Error() string {
	if len(e.Violations) == 0 {
		return e.Message
	}
	msgs := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		msgs[i] = v.Message
	}
	return e.Message + ": " + strings.Join(msgs, "; ")
}

// IsKind reports whether err is or wraps a domain *Error of the given kind.
func IsKind(err error, kind ErrorKind) bool {
	return KindOf(err) == kind
}

// KindOf returns the kind of the domain *Error that err is or wraps, or "" for other errors.
func KindOf(err error) ErrorKind {
	var de *Error
	if errors.As(err, &de) {
		return de.Kind
	}
	return ""
}

// ViolationsOf returns the violations of the domain *Error that err is or wraps.
func ViolationsOf(err error) []Violation {
	var de *Error
	if errors.As(err, &de) {
		return de.Violations
	}
	return nil
}

func newError(kind ErrorKind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

func invalidf(format string, args ...any) *Error  { return newError(KindInvalid, format, args...) }
func conflictf(format string, args ...any) *Error { return newError(KindConflict, format, args...) }
func notFoundf(format string, args ...any) *Error { return newError(KindNotFound, format, args...) }
func forbiddenf(format string, args ...any) *Error {
	return newError(KindForbidden, format, args...)
}

// violations returns an error of kind listing vs, or nil when vs is empty.
func violations(kind ErrorKind, message string, vs []Violation) error {
	if len(vs) == 0 {
		return nil
	}
	return &Error{Kind: kind, Message: message, Violations: vs}
}

// violation builds a Violation with a formatted message.
func violation(field, rule, format string, args ...any) Violation {
	return Violation{Field: field, Rule: rule, Message: fmt.Sprintf(format, args...)}
}
