package domain

import "maps"

// SchemaVersion is the schema version of every domain event type.
const SchemaVersion = 1

// Event is a domain event: a fact decided by an aggregate. Events are plain structs with JSON
// tags, handled as values (never pointers); the envelope that stores one records who caused it
// and when.
type Event interface {
	// EventType returns the event's type name, one of the Type constants, for example
	// TypeCertificateIssued.
	EventType() string
	// Aggregate returns the aggregate the event belongs to, whose stream holds it.
	Aggregate() AggregateRef
}

// AggregateRef names the aggregate an event belongs to: the category of its stream and its id.
// The event is stored in the stream events.StreamName(Category, ID).
type AggregateRef struct {
	Category string
	// ID is the aggregate's id, a UUID; empty for the audit log, the one stream of its category.
	ID string
}

// The categories of the aggregates' streams; they are the stream categories of package events.
const (
	CategoryCA          = "ca"
	CategoryCertificate = "certificate"
	CategoryProfile     = "profile"
	CategoryAPIToken    = "apitoken"
	CategoryAudit       = "audit"
	CategoryDiscovered  = "discovered" // a discovered certificate, keyed by its fingerprint
	CategoryDiscovery   = "discovery"  // a discovery scope: the locations one kind of scan covers
	CategorySigningKey  = "signingkey"
	CategorySignature   = "signature"
	CategoryTimestamp   = "timestamp"   // an RFC 3161 time-stamp token
	CategoryACMEAccount = "acmeaccount" // an ACME account, keyed by provisioner and key thumbprint
	CategoryACMEOrder   = "acmeorder"   // an ACME order with its authorizations and challenges
	// CategorySCEPChallenge is a one-time SCEP challenge password, keyed by its secret's hash.
	CategorySCEPChallenge = "scepchallenge"
	CategoryAgent         = "agent"      // a ledger-agent: its join token, enrollment and heartbeats
	CategoryDeployment    = "deployment" // a certificate deployed by an agent to a target on its host
	CategoryACMEEAB       = "acmeeab"    // an ACME External Account Binding key
)

// EventSpec is what decoding needs of one event type: New returns a new pointer for the
// event's data to decode into, Value the event that pointer then holds, as a value.
type EventSpec struct {
	Name  string
	New   func() any
	Value func(any) Event
}

// specOf returns the EventSpec of the event type E.
func specOf[E Event]() EventSpec {
	var zero E
	return EventSpec{
		Name:  zero.EventType(),
		New:   func() any { return new(E) },
		Value: func(p any) Event { return *p.(*E) },
	}
}

// catalog is every domain event type by name; each file of events lists its own.
var catalog = byName(caEvents, profileEvents, certificateEvents, apiTokenEvents, auditEvents, signingEvents,
	discoveryEvents, signingKeyEvents, signatureEvents, timestampEvents, acmeEvents, acmeAccountEvents, scepEvents, agentEvents,
	deploymentEvents)

func byName(lists ...[]EventSpec) map[string]EventSpec {
	m := map[string]EventSpec{}
	for _, l := range lists {
		for _, s := range l {
			m[s.Name] = s
		}
	}
	return m
}

// EventTypes returns the EventSpec of every domain event type, by name.
func EventTypes() map[string]EventSpec { return maps.Clone(catalog) }
