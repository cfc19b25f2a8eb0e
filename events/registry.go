package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sync"
)

// Upcaster turns the data of an event type at one schema version into the
// data at the next version. It must not modify its input.
type Upcaster = func(json.RawMessage) (json.RawMessage, error)

// registeredType is what a Registry knows about one event type.
type registeredType struct {
	version   int
	newValue  func() any
	value     func(any) any    // what Decode returns of the decoded pointer; nil returns the pointer
	upcasters map[int]Upcaster // keyed by the version they upcast from
}

// Registry maps event types to their current schema version, the Go value
// their data decodes into, and the upcasters that bring older data up to
// date. It is safe for concurrent use.
type Registry struct {
	mu    sync.RWMutex
	types map[string]*registeredType
}

// NewRegistry returns an empty Registry.
func NewRegistry() *Registry {
	return &Registry{types: make(map[string]*registeredType)}
}

// Register records the current schema version of eventType and a function
// returning a new pointer for its data to decode into. Registering a type
// twice fails with ErrAlreadyRegistered.
func (r *Registry) Register(eventType string, version int, newValue func() any) error {
	return r.register(eventType, version, newValue, nil)
}

// RegisterValue is Register for a type whose data decodes into the pointer newValue returns
// but which Decode returns as value makes it of that pointer: typically the struct it points
// to, so that readers see one representation of the event.
func (r *Registry) RegisterValue(eventType string, version int, newValue func() any, value func(any) any) error {
	if value == nil {
		return fmt.Errorf("register event type %s: nil value function: %w", eventType, ErrInvalidRegistration)
	}
	return r.register(eventType, version, newValue, value)
}

func (r *Registry) register(eventType string, version int, newValue func() any, value func(any) any) error {
	switch {
	case eventType == "":
		return fmt.Errorf("register event type: empty type name: %w", ErrInvalidRegistration)
	case version < 1:
		return fmt.Errorf("register event type %s: version %d is below 1: %w", eventType, version, ErrInvalidRegistration)
	case newValue == nil:
		return fmt.Errorf("register event type %s: nil constructor: %w", eventType, ErrInvalidRegistration)
	}
	if v := reflect.ValueOf(newValue()); v.Kind() != reflect.Pointer || v.IsNil() {
		return fmt.Errorf("register event type %s: constructor must return a non-nil pointer: %w", eventType, ErrInvalidRegistration)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.types[eventType]; ok {
		return fmt.Errorf("register event type %s: %w", eventType, ErrAlreadyRegistered)
	}
	r.types[eventType] = &registeredType{version: version, newValue: newValue, value: value, upcasters: make(map[int]Upcaster)}
	return nil
}

// RegisterUpcaster records up as the upcaster of eventType's data from
// schema version from to from+1. The type must be registered first, and
// from+1 must not exceed its current version.
func (r *Registry) RegisterUpcaster(eventType string, from int, up func(json.RawMessage) (json.RawMessage, error)) error {
	if up == nil {
		return fmt.Errorf("register upcaster %s v%d: nil upcaster: %w", eventType, from, ErrInvalidRegistration)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.types[eventType]
	switch {
	case !ok:
		return fmt.Errorf("register upcaster %s v%d: %w", eventType, from, ErrUnknownType)
	case from < 1 || from >= t.version:
		return fmt.Errorf("register upcaster %s v%d: must upcast from a version in [1, %d): %w", eventType, from, t.version, ErrInvalidRegistration)
	}
	if _, ok := t.upcasters[from]; ok {
		return fmt.Errorf("register upcaster %s v%d: %w", eventType, from, ErrAlreadyRegistered)
	}
	t.upcasters[from] = up
	return nil
}

// Version returns the current schema version of eventType, and false if the
// type is not registered.
func (r *Registry) Version(eventType string) (int, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	t, ok := r.types[eventType]
	if !ok {
		return 0, false
	}
	return t.version, true
}

// Decode returns the data of e as a new value of its registered type (for RegisterValue, what
// its value function makes of it). Data
// at an older schema version is upcast step by step to the current one
// first. Unknown JSON fields and trailing data are rejected.
func (r *Registry) Decode(e Envelope) (any, error) {
	r.mu.RLock()
	t, ok := r.types[e.Type]
	r.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("decode %s@%d: type %q: %w", e.Stream, e.Revision, e.Type, ErrUnknownType)
	}
	data, err := r.upcast(e, t)
	if err != nil {
		return nil, err
	}

	v := t.newValue()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return nil, fmt.Errorf("decode %s@%d: %s v%d: %w: %w", e.Stream, e.Revision, e.Type, t.version, err, ErrMalformed)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("decode %s@%d: %s v%d: trailing data: %w", e.Stream, e.Revision, e.Type, t.version, ErrMalformed)
	}
	if t.value != nil {
		return t.value(v), nil
	}
	return v, nil
}

// upcast brings the data of e from its schema version to t's current one.
func (r *Registry) upcast(e Envelope, t *registeredType) (json.RawMessage, error) {
	from := e.Metadata.SchemaVersion
	switch {
	case from < 1:
		return nil, fmt.Errorf("decode %s@%d: %s schema version %d is below 1: %w", e.Stream, e.Revision, e.Type, from, ErrMalformed)
	case from > t.version:
		return nil, fmt.Errorf("decode %s@%d: %s v%d, newest known is v%d: %w", e.Stream, e.Revision, e.Type, from, t.version, ErrVersionTooNew)
	}
	data := json.RawMessage(e.Data)
	for v := from; v < t.version; v++ {
		r.mu.RLock()
		up, ok := t.upcasters[v]
		r.mu.RUnlock()
		if !ok {
			return nil, fmt.Errorf("decode %s@%d: %s v%d to v%d: %w", e.Stream, e.Revision, e.Type, v, v+1, ErrMissingUpcaster)
		}
		next, err := up(data)
		if err != nil {
			return nil, fmt.Errorf("decode %s@%d: upcast %s v%d to v%d: %w", e.Stream, e.Revision, e.Type, v, v+1, err)
		}
		data = next
	}
	return data, nil
}
