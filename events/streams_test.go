package events_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
)

func TestStreamNameRoundTrip(t *testing.T) {
	id := uuid.MustParse("5f0c3b6e-8a2d-4c1e-9b7f-0123456789ab")
	for _, category := range []string{
		events.CategoryCA, events.CategoryCertificate, events.CategorySigningKey,
		events.CategoryEndpoint, events.CategoryAgent, events.CategoryAPIToken,
	} {
		t.Run(category, func(t *testing.T) {
			name := events.StreamName(category, id)
			assert.Equal(t, category+"-5f0c3b6e-8a2d-4c1e-9b7f-0123456789ab", name)
			assert.False(t, events.IsSystemStream(name))

			gotCategory, gotID, err := events.ParseStreamName(name)
			require.NoError(t, err)
			assert.Equal(t, category, gotCategory)
			assert.Equal(t, id, gotID)
		})
	}
}

func TestParseStreamNameRejects(t *testing.T) {
	tests := []struct {
		name   string
		stream string
	}{
		{"empty", ""},
		{"no separator", "certificate"},
		{"empty category", "-5f0c3b6e-8a2d-4c1e-9b7f-0123456789ab"},
		{"system stream", "$ce-certificate"},
		{"system category", "$certificate-5f0c3b6e-8a2d-4c1e-9b7f-0123456789ab"},
		{"not a uuid", "certificate-abc"},
		{"uppercase uuid", "certificate-5F0C3B6E-8A2D-4C1E-9B7F-0123456789AB"},
		{"uuid without hyphens", "certificate-5f0c3b6e8a2d4c1e9b7f0123456789ab"},
		{"urn uuid", "certificate-urn:uuid:5f0c3b6e-8a2d-4c1e-9b7f-0123456789ab"},
		{"braced uuid", "certificate-{5f0c3b6e-8a2d-4c1e-9b7f-0123456789ab}"},
		{"category with hyphen", "signing-key-5f0c3b6e-8a2d-4c1e-9b7f-0123456789ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := events.ParseStreamName(tt.stream)
			require.ErrorIs(t, err, events.ErrMalformed)
		})
	}
}

func TestIsSystemStream(t *testing.T) {
	assert.True(t, events.IsSystemStream("$all"))
	assert.True(t, events.IsSystemStream("$$certificate-1"))
	assert.False(t, events.IsSystemStream("certificate-1"))
	assert.False(t, events.IsSystemStream(""))
}
