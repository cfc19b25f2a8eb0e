package events_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
)

func TestCloudEventCarriesTheEventAndItsChain(t *testing.T) {
	at := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	e := events.Envelope{ID: uuid.New(), Stream: "certificate-1", Revision: 3, Type: "CertificateIssued",
		Data: []byte(`{"serial":"0a"}`), Position: 1 << 40, Hash: events.Hash{1}, PrevHash: events.Hash{2},
		Metadata: events.Metadata{OccurredAt: at, Actor: events.Actor{Subject: "alice"}, CorrelationID: "req-1"}}
	raw, err := json.Marshal(events.ToCloudEvent(e, "urn:certledger:test"))
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(raw, &got))
	assert.Equal(t, map[string]any{"specversion": "1.0", "id": e.ID.String(), "source": "urn:certledger:test",
		"type": "dev.certledger.CertificateIssued", "subject": "certificate-1", "time": "2026-11-24T12:00:00Z",
		"datacontenttype": "application/json", "data": map[string]any{"serial": "0a"},
		"ledgerrevision": "3", "ledgerposition": "1099511627776", "ledgerhash": e.Hash.String(),
		"ledgerprevhash": e.PrevHash.String(), "ledgeractor": "alice", "ledgercorrelationid": "req-1"}, got)

	var back events.CloudEvent
	require.NoError(t, json.Unmarshal(raw, &back))
	typ, err := back.EventType()
	require.NoError(t, err)
	assert.Equal(t, "CertificateIssued", typ)
	_, err = events.CloudEvent{Type: "com.example.Other"}.EventType()
	assert.Error(t, err)
}
