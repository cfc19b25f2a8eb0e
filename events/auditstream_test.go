package events_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
)

func TestTheAuditCheckpointStreamIsALedgerStream(t *testing.T) {
	assert.Equal(t, "audit-7e207a20-7b9b-54e9-82b7-457701f16ebd", events.AuditCheckpointStream, "a fixed name, forever")
	category, id, err := events.ParseStreamName(events.AuditCheckpointStream)
	require.NoError(t, err)
	assert.Equal(t, events.CategoryAudit, category)
	assert.Equal(t, events.AuditCheckpointsID, id)
	assert.False(t, events.IsSystemStream(events.AuditCheckpointStream))
}
