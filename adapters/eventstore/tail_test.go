package eventstore_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/events"
)

func TestLoadLastReadsOnlyTheNewestEvent(t *testing.T) {
	store, _ := newStore(t)
	ctx := context.Background()
	stream := events.StreamName(events.CategoryAudit, uuid.New())

	last, head, err := store.LoadLast(ctx, stream)
	require.NoError(t, err)
	assert.Empty(t, last)
	assert.False(t, head.Exists())

	head, err = store.Append(ctx, stream, head, []events.Proposed{proposal("Signed", 1), proposal("Signed", 2), proposal("Signed", 3)})
	require.NoError(t, err)
	last, loaded, err := store.LoadLast(ctx, stream)
	require.NoError(t, err)
	require.Len(t, last, 1)
	assert.Equal(t, head, loaded)
	assert.Equal(t, uint64(2), last[0].Revision)
	assert.JSONEq(t, `{"n":3}`, string(last[0].Data))

	// The head it returns appends after the last event, as Load's does.
	_, err = store.Append(ctx, stream, loaded, []events.Proposed{proposal("Signed", 4)})
	require.NoError(t, err)
	all, _, err := store.Load(ctx, stream)
	require.NoError(t, err)
	assert.Len(t, all, 4)
}
