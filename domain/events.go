package domain

import (
	"reflect"
)

// SchemaVersion is the schema version of every domain event type.
const SchemaVersion = 1

// Event is a domain event: a fact decided by an aggregate. Events are plain structs with JSON
// tags; the envelope that stores one records who caused it and when.
type Event interface {
	// EventType returns the event's type name, for example "CertificateIssued".
	EventType() string
}

// EventTypes returns, for every domain event type, a function returning a new pointer to
// decode that event's JSON data into. Aggregates accept events as values or pointers.
func EventTypes() map[string]func() Event {
	ctors := []func() Event{
		func() Event { return &CARootCreated{} },
		func() Event { return &CAIntermediateCreated{} },
		func() Event { return &CARevoked{} },
		func() Event { return &CAResponderCertified{} },
		func() Event { return &ProfileDefined{} },
		func() Event { return &ProfileUpdated{} },
		func() Event { return &CertificateRequested{} },
		func() Event { return &CertificateApproved{} },
		func() Event { return &CertificateRejected{} },
		func() Event { return &CertificateIssued{} },
		func() Event { return &CertificateRenewed{} },
		func() Event { return &CertificateRevoked{} },
		func() Event { return &CertificateExpired{} },
		func() Event { return &APITokenIssued{} },
		func() Event { return &APITokenRevoked{} },
		func() Event { return &AuditCheckpointSigned{} },
		func() Event { return &SigningStarted{} },
		func() Event { return &SignatureVoided{} },
	}
	m := make(map[string]func() Event, len(ctors))
	for _, c := range ctors {
		m[c().EventType()] = c
	}
	return m
}

// deref turns a pointer to an event into the event value, so aggregates can switch on values.
func deref(e Event) Event {
	v := reflect.ValueOf(e)
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		if inner, ok := v.Elem().Interface().(Event); ok {
			return inner
		}
	}
	return e
}
