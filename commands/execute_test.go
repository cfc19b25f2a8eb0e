package commands_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
)

func newStore(t *testing.T) *eventstore.Store {
	t.Helper()
	return eventstore.New(storetest.Client(t, storetest.Start(t)))
}

// appendOne decides one "Counted" event carrying the history's length.
func appendOne(history []events.Envelope) ([]events.Proposed, error) {
	return []events.Proposed{{Type: "Counted", Data: []byte(`{}`),
		Metadata: events.Metadata{SchemaVersion: 1, OccurredAt: time.Now().UTC(), Actor: events.Actor{Subject: "test"}}}}, nil
}

func TestExecuteIsIdempotentPerCommand(t *testing.T) {
	store := newStore(t)
	ctx := context.Background()
	stream := events.StreamName(events.CategoryCertificate, uuid.New())
	cmd := uuid.New()

	first, err := commands.Execute(ctx, store, cmd, stream, appendOne)
	require.NoError(t, err)
	assert.Equal(t, 1, first.Appended)

	retry, err := commands.Execute(ctx, store, cmd, stream, appendOne)
	require.NoError(t, err)
	assert.True(t, retry.Replayed)
	assert.Equal(t, first.Head, retry.Head)

	history, _, err := store.Load(ctx, stream)
	require.NoError(t, err)
	require.Len(t, history, 1)
	assert.Equal(t, events.EventID(cmd, 0), history[0].ID)
}

func TestExecuteRetriesConflictsSoConcurrentCommandsAllLand(t *testing.T) {
	store := newStore(t)
	ctx := context.Background()
	stream := events.StreamName(events.CategoryCA, uuid.New())
	const writers = 4
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := 0; i < writers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := commands.Execute(ctx, store, uuid.New(), stream, appendOne)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	history, head, err := store.Load(ctx, stream)
	require.NoError(t, err)
	assert.Len(t, history, writers)
	assert.Equal(t, uint64(writers), head.Next)
}

// movingStore is a store whose stream always moves on before the append lands.
type movingStore struct{ commands.EventStore }

func (m movingStore) Append(ctx context.Context, stream string, head events.Head, p []events.Proposed) (events.Head, error) {
	return head, events.ErrConflict
}

func TestExecuteGivesUpAfterBoundedConflicts(t *testing.T) {
	store := movingStore{newStore(t)}
	_, err := commands.Execute(context.Background(), store, uuid.New(), "ca-"+uuid.NewString(), appendOne)
	require.ErrorIs(t, err, commands.ErrTooManyConflicts)
	assert.ErrorIs(t, err, commands.ErrConflict, "a caller recognises the conflict by the commands' own kind")
	assert.ErrorIs(t, err, events.ErrConflict, "and the store's last conflict is kept")
}

func TestExecuteReturnsTheDecisionsError(t *testing.T) {
	store := newStore(t)
	refuse := errors.New("policy says no")
	stream := events.StreamName(events.CategoryCertificate, uuid.New())
	_, err := commands.Execute(context.Background(), store, uuid.New(), stream,
		func([]events.Envelope) ([]events.Proposed, error) { return nil, refuse })
	require.ErrorIs(t, err, refuse)
	history, _, err := store.Load(context.Background(), stream)
	require.NoError(t, err)
	assert.Empty(t, history)
}

func TestExecuteAtRunsOnlyAtTheExpectedRevision(t *testing.T) {
	store := newStore(t)
	ctx := context.Background()
	stream := "ca-" + uuid.NewString()
	at := func(rev uint64) *uint64 { return &rev }

	_, err := commands.ExecuteAt(ctx, store, uuid.New(), stream, at(0), appendOne)
	require.ErrorIs(t, err, commands.ErrPreconditionFailed, "a stream without events has no revision 0")
	first, err := commands.ExecuteAt(ctx, store, uuid.New(), stream, nil, appendOne)
	require.NoError(t, err)
	require.EqualValues(t, 1, first.Head.Next)

	cmd := uuid.New()
	second, err := commands.ExecuteAt(ctx, store, cmd, stream, at(0), appendOne)
	require.NoError(t, err)
	require.EqualValues(t, 2, second.Head.Next)
	stale, err := commands.ExecuteAt(ctx, store, uuid.New(), stream, at(0), appendOne)
	require.ErrorIs(t, err, commands.ErrPreconditionFailed)
	require.EqualValues(t, 2, stale.Head.Next, "nothing appended")
	replay, err := commands.ExecuteAt(ctx, store, cmd, stream, at(0), appendOne)
	require.NoError(t, err, "a retry of the command that ran answers as it did")
	require.True(t, replay.Replayed)

	_, history, err := store.Load(ctx, stream)
	require.NoError(t, err)
	require.EqualValues(t, 2, history.Next)
}
