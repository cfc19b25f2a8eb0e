package events_test

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
)

// issuedV3 is the current (version 3) data of CertificateIssued.
type issuedV3 struct {
	Serial   string `json:"serial"`
	Subject  string `json:"subject"`
	NotAfter string `json:"not_after"`
}

// renameSN upcasts v1 to v2: the field "sn" became "serial".
func renameSN(in json.RawMessage) (json.RawMessage, error) {
	var m map[string]any
	if err := json.Unmarshal(in, &m); err != nil {
		return nil, err
	}
	m["serial"] = m["sn"]
	delete(m, "sn")
	return json.Marshal(m)
}

// addNotAfter upcasts v2 to v3: "not_after" was added, unknown for old data.
func addNotAfter(in json.RawMessage) (json.RawMessage, error) {
	var m map[string]any
	if err := json.Unmarshal(in, &m); err != nil {
		return nil, err
	}
	m["not_after"] = "unknown"
	return json.Marshal(m)
}

func newTestRegistry(t *testing.T) *events.Registry {
	reg := events.NewRegistry()
	require.NoError(t, reg.Register("CertificateIssued", 3, func() any { return new(issuedV3) }))
	require.NoError(t, reg.RegisterUpcaster("CertificateIssued", 1, renameSN))
	require.NoError(t, reg.RegisterUpcaster("CertificateIssued", 2, addNotAfter))
	require.NoError(t, reg.Register("KeyDestroyed", 2, func() any { return new(struct{ Label string }) }))
	return reg
}

func envelope(eventType string, version int, data string) events.Envelope {
	return events.Envelope{
		Stream: streamA, Revision: 5, Type: eventType, Data: []byte(data),
		Metadata: events.Metadata{SchemaVersion: version},
	}
}

func TestRegistryDecode(t *testing.T) {
	tests := []struct {
		name    string
		env     events.Envelope
		want    any
		wantErr error
		msg     string
	}{
		{"current version", envelope("CertificateIssued", 3, `{"serial":"01","subject":"CN=a","not_after":"2027"}`),
			&issuedV3{Serial: "01", Subject: "CN=a", NotAfter: "2027"}, nil, ""},
		{"upcast from v2", envelope("CertificateIssued", 2, `{"serial":"02","subject":"CN=b"}`),
			&issuedV3{Serial: "02", Subject: "CN=b", NotAfter: "unknown"}, nil, ""},
		{"upcast from v1 through v2", envelope("CertificateIssued", 1, `{"sn":"03","subject":"CN=c"}`),
			&issuedV3{Serial: "03", Subject: "CN=c", NotAfter: "unknown"}, nil, ""},
		{"unknown type", envelope("CertificateBaked", 1, `{}`),
			nil, events.ErrUnknownType, `type "CertificateBaked"`},
		{"missing upcaster", envelope("KeyDestroyed", 1, `{"Label":"k"}`),
			nil, events.ErrMissingUpcaster, "KeyDestroyed v1 to v2"},
		{"version newer than known", envelope("CertificateIssued", 4, `{}`),
			nil, events.ErrVersionTooNew, "v4, newest known is v3"},
		{"version 0", envelope("CertificateIssued", 0, `{}`),
			nil, events.ErrMalformed, "schema version 0"},
		{"unknown field", envelope("CertificateIssued", 3, `{"serial":"01","colour":"red"}`),
			nil, events.ErrMalformed, `unknown field "colour"`},
		{"trailing data", envelope("CertificateIssued", 3, `{"serial":"01"} {}`),
			nil, events.ErrMalformed, "trailing data"},
		{"wrong field type", envelope("CertificateIssued", 3, `{"serial":1}`),
			nil, events.ErrMalformed, "CertificateIssued v3"},
	}
	reg := newTestRegistry(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := reg.Decode(tt.env)

			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				assert.Contains(t, err.Error(), streamA+"@5")
				assert.Contains(t, err.Error(), tt.msg)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestRegistryUpcasterErrorIsWrapped(t *testing.T) {
	boom := errors.New("no serial")
	reg := events.NewRegistry()
	require.NoError(t, reg.Register("A", 2, func() any { return new(map[string]any) }))
	require.NoError(t, reg.RegisterUpcaster("A", 1, func(json.RawMessage) (json.RawMessage, error) { return nil, boom }))

	_, err := reg.Decode(envelope("A", 1, `{}`))

	require.ErrorIs(t, err, boom)
	assert.Contains(t, err.Error(), "upcast A v1 to v2")
}

func TestRegistryRegistrationErrors(t *testing.T) {
	up := func(in json.RawMessage) (json.RawMessage, error) { return in, nil }
	tests := []struct {
		name    string
		do      func(reg *events.Registry) error
		wantErr error
	}{
		{"duplicate type", func(r *events.Registry) error {
			return r.Register("CertificateIssued", 4, func() any { return new(issuedV3) })
		}, events.ErrAlreadyRegistered},
		{"duplicate upcaster", func(r *events.Registry) error {
			return r.RegisterUpcaster("CertificateIssued", 2, up)
		}, events.ErrAlreadyRegistered},
		{"upcaster of unknown type", func(r *events.Registry) error {
			return r.RegisterUpcaster("Nope", 1, up)
		}, events.ErrUnknownType},
		{"upcaster from current version", func(r *events.Registry) error {
			return r.RegisterUpcaster("KeyDestroyed", 2, up)
		}, events.ErrInvalidRegistration},
		{"upcaster from version 0", func(r *events.Registry) error {
			return r.RegisterUpcaster("KeyDestroyed", 0, up)
		}, events.ErrInvalidRegistration},
		{"nil upcaster", func(r *events.Registry) error {
			return r.RegisterUpcaster("KeyDestroyed", 1, nil)
		}, events.ErrInvalidRegistration},
		{"empty type", func(r *events.Registry) error {
			return r.Register("", 1, func() any { return new(issuedV3) })
		}, events.ErrInvalidRegistration},
		{"version 0", func(r *events.Registry) error {
			return r.Register("B", 0, func() any { return new(issuedV3) })
		}, events.ErrInvalidRegistration},
		{"nil constructor", func(r *events.Registry) error {
			return r.Register("B", 1, nil)
		}, events.ErrInvalidRegistration},
		{"constructor returns a value", func(r *events.Registry) error {
			return r.Register("B", 1, func() any { return issuedV3{} })
		}, events.ErrInvalidRegistration},
		{"nil value function", func(r *events.Registry) error {
			return r.RegisterValue("B", 1, func() any { return new(issuedV3) }, nil)
		}, events.ErrInvalidRegistration},
		{"duplicate type by value", func(r *events.Registry) error {
			return r.RegisterValue("KeyDestroyed", 2, func() any { return new(issuedV3) }, func(p any) any { return p })
		}, events.ErrAlreadyRegistered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do(newTestRegistry(t))
			require.ErrorIs(t, err, tt.wantErr)
		})
	}
}

func TestRegistryDecodeValue(t *testing.T) {
	reg := events.NewRegistry()
	require.NoError(t, reg.RegisterValue("CertificateIssued", 3, func() any { return new(issuedV3) },
		func(p any) any { return *p.(*issuedV3) }))
	v, err := reg.Decode(envelope("CertificateIssued", 3, `{"serial":"0a","subject":"x","not_after":"y"}`))
	require.NoError(t, err)
	assert.Equal(t, issuedV3{Serial: "0a", Subject: "x", NotAfter: "y"}, v)
	_, err = reg.Decode(envelope("CertificateIssued", 3, `{"serial":"0a","extra":1}`))
	require.ErrorIs(t, err, events.ErrMalformed, "a value type decodes as strictly")
}

func TestRegistryVersion(t *testing.T) {
	reg := newTestRegistry(t)
	v, ok := reg.Version("CertificateIssued")
	assert.True(t, ok)
	assert.Equal(t, 3, v)
	_, ok = reg.Version("Nope")
	assert.False(t, ok)
}

func TestRegistryConcurrentDecode(t *testing.T) {
	reg := newTestRegistry(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 100 {
				got, err := reg.Decode(envelope("CertificateIssued", 1, `{"sn":"`+strings.Repeat("f", i)+`"}`))
				assert.NoError(t, err)
				assert.Equal(t, strings.Repeat("f", i), got.(*issuedV3).Serial)
			}
		})
		wg.Go(func() { _ = reg.Register("Extra"+strings.Repeat("x", i), 1, func() any { return new(issuedV3) }) })
	}
	wg.Wait()
}
