package codec_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/codec"
	"github.com/certledger/certledger/events"
)

func TestDomainCategoriesAreStreamCategories(t *testing.T) {
	for domainCategory, streamCategory := range map[string]string{
		domain.CategoryCA:          events.CategoryCA,
		domain.CategoryCertificate: events.CategoryCertificate,
		domain.CategoryProfile:     events.CategoryProfile,
		domain.CategoryAPIToken:    events.CategoryAPIToken,
		domain.CategoryAudit:       events.CategoryAudit,
		domain.CategoryDiscovered:  events.CategoryDiscovered,
		domain.CategoryDiscovery:   events.CategoryDiscovery,
		domain.CategorySigningKey:  events.CategorySigningKey,
		domain.CategorySignature:   events.CategorySignature,
		domain.CategoryACMEAccount: events.CategoryACMEAccount,
		domain.CategoryACMEOrder:   events.CategoryACMEOrder,
	} {
		assert.Equal(t, streamCategory, domainCategory)
	}
}

func TestEncodeThenDecodeGivesTheValue(t *testing.T) {
	r, err := codec.NewRegistry()
	require.NoError(t, err)
	id := uuid.New()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, e := range []domain.Event{
		domain.CertificateExpired{CertificateID: id.String(), ExpiredAt: at},
		domain.SigningStarted{Subject: id.String(), CAID: uuid.NewString(), Serial: "0a", Purpose: domain.PurposeCertificate, StartedAt: at},
		domain.APITokenRevoked{TokenID: id.String(), RevokedBy: "sam", RevokedAt: at, Reason: "left"},
	} {
		p, err := codec.Encode(e, events.Metadata{SchemaVersion: domain.SchemaVersion, OccurredAt: at})
		require.NoError(t, err)
		assert.Equal(t, e.EventType(), p.Type)
		env := events.Envelope{Stream: events.StreamName(e.Aggregate().Category, id), Type: p.Type, Data: p.Data, Metadata: p.Metadata}
		got, err := codec.Decode(r, env)
		require.NoError(t, err)
		assert.Equal(t, e, got, "decoded as the value, not a pointer")
	}
}

func TestNewRegistryOfSomeTypes(t *testing.T) {
	r, err := codec.NewRegistry(domain.TypeAPITokenIssued)
	require.NoError(t, err)
	_, known := r.Version(domain.TypeAPITokenIssued)
	assert.True(t, known)
	_, known = r.Version(domain.TypeCertificateIssued)
	assert.False(t, known)
	_, err = codec.NewRegistry("CertificateSuspended")
	assert.ErrorContains(t, err, "not a domain event type")
}

func TestDecodeRefusesUnknownFields(t *testing.T) {
	r, err := codec.NewRegistry()
	require.NoError(t, err)
	_, err = codec.Decode(r, events.Envelope{Stream: "certificate-x", Type: domain.TypeCertificateExpired,
		Data:     []byte(`{"certificate_id":"x","expired_at":"2026-01-01T00:00:00Z","extra":1}`),
		Metadata: events.Metadata{SchemaVersion: domain.SchemaVersion}})
	require.ErrorIs(t, err, events.ErrMalformed)
	assert.ErrorContains(t, err, "certificate-x")
}
