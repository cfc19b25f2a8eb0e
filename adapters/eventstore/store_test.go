package eventstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
)

func newStore(t *testing.T) (*eventstore.Store, *esdb.Client) {
	t.Helper()
	c := storetest.Client(t, storetest.Start(t))
	return eventstore.New(c), c
}

func proposal(eventType string, n int) events.Proposed {
	return events.Proposed{
		ID:   uuid.New(),
		Type: eventType,
		Data: []byte(fmt.Sprintf(`{"n":%d}`, n)),
		Metadata: events.Metadata{SchemaVersion: 1, OccurredAt: time.Now().UTC(),
			Actor: events.Actor{Subject: "alice", Roles: []string{"ADMIN"}}},
	}
}

func TestAppendLoadChainsAndDetectsConflicts(t *testing.T) {
	store, _ := newStore(t)
	ctx := context.Background()
	stream := events.StreamName(events.CategoryCertificate, uuid.New())

	history, head, err := store.Load(ctx, stream)
	require.NoError(t, err)
	assert.Empty(t, history)
	assert.False(t, head.Exists())

	head, err = store.Append(ctx, stream, head, []events.Proposed{proposal("Requested", 1), proposal("Issued", 2)})
	require.NoError(t, err)
	assert.Equal(t, uint64(2), head.Next)

	history, loaded, err := store.Load(ctx, stream)
	require.NoError(t, err)
	require.Len(t, history, 2)
	assert.Equal(t, head, loaded)
	assert.Equal(t, history[0].Hash, history[1].PrevHash)
	assert.Equal(t, "alice", history[1].Metadata.Actor.Subject)
	assert.JSONEq(t, `{"n":2}`, string(history[1].Data))

	stale := events.Head{Next: 1, Hash: history[0].Hash}
	_, err = store.Append(ctx, stream, stale, []events.Proposed{proposal("Revoked", 3)})
	require.ErrorIs(t, err, events.ErrConflict)
	again, _, err := store.Load(ctx, stream)
	require.NoError(t, err)
	assert.Len(t, again, 2, "a conflicting append must change nothing")
}

func TestLoadRejectsEventsAppendedBehindTheLedgersBack(t *testing.T) {
	store, client := newStore(t)
	ctx := context.Background()
	stream := events.StreamName(events.CategoryCA, uuid.New())
	_, err := store.Append(ctx, stream, events.Head{}, []events.Proposed{proposal("Created", 1)})
	require.NoError(t, err)
	history, _, err := store.Load(ctx, stream)
	require.NoError(t, err)

	// A copy of the genuine event's data and metadata, appended straight through the client.
	genuine := history[0]
	rs, err := client.ReadStream(ctx, stream, esdb.ReadStreamOptions{}, 1)
	require.NoError(t, err)
	recorded, err := rs.Recv()
	require.NoError(t, err)
	rs.Close()
	_, err = client.AppendToStream(ctx, stream, esdb.AppendToStreamOptions{ExpectedRevision: esdb.Revision(0)}, esdb.EventData{
		EventID: uuid.New(), EventType: genuine.Type, ContentType: esdb.ContentTypeJson,
		Data: recorded.Event.Data, Metadata: recorded.Event.UserMetadata,
	})
	require.NoError(t, err)

	_, _, err = store.Load(ctx, stream)
	var chainErr *events.ChainError
	require.ErrorAs(t, err, &chainErr)
	assert.Equal(t, stream, chainErr.Stream)
	assert.Equal(t, uint64(1), chainErr.Revision)
}

func TestReadAllAndSubscribeResume(t *testing.T) {
	store, _ := newStore(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	stream := events.StreamName(events.CategoryCertificate, uuid.New())
	head, err := store.Append(ctx, stream, events.Head{}, []events.Proposed{proposal("A", 1), proposal("B", 2)})
	require.NoError(t, err)

	last, err := store.LastPosition(ctx)
	require.NoError(t, err)
	var positions []uint64
	for raw, err := range store.ReadAll(ctx, 0) {
		require.NoError(t, err)
		positions = append(positions, raw.Position)
	}
	require.Len(t, positions, 2)
	assert.Equal(t, positions[1], last)
	var rest []uint64
	for raw, err := range store.ReadAll(ctx, positions[0]) {
		require.NoError(t, err)
		rest = append(rest, raw.Position)
	}
	assert.Equal(t, positions[1:], rest, "ReadAll starts after the given position")

	got := make(chan events.Raw, 10)
	caughtUp := make(chan struct{}, 1)
	done := make(chan error, 1)
	subCtx, stop := context.WithCancel(ctx)
	go func() {
		done <- store.Subscribe(subCtx, positions[0], events.Subscription{OnCaughtUp: func() { caughtUp <- struct{}{} }},
			func(r events.Raw) error { got <- r; return nil })
	}()
	assert.Equal(t, "B", (<-got).Type, "subscribing after a position is exclusive")
	<-caughtUp
	_, err = store.Append(ctx, stream, head, []events.Proposed{proposal("C", 3)})
	require.NoError(t, err)
	assert.Equal(t, "C", (<-got).Type)
	stop()
	assert.True(t, errors.Is(<-done, context.Canceled))
}

func TestFiltersOnReadsAndSubscriptions(t *testing.T) {
	store, _ := newStore(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ca := events.StreamName(events.CategoryCA, uuid.New())
	cert := events.StreamName(events.CategoryCertificate, uuid.New())
	_, err := store.Append(ctx, ca, events.Head{}, []events.Proposed{proposal("CARootCreated", 1)})
	require.NoError(t, err)
	_, err = store.Append(ctx, cert, events.Head{}, []events.Proposed{proposal("CertificateRequested", 2), proposal("CertificateIssued", 3)})
	require.NoError(t, err)

	tests := []struct {
		name   string
		filter events.Filter
		want   []string
	}{
		{"stream prefix", events.Filter{StreamPrefixes: []string{"certificate-"}}, []string{"CertificateRequested", "CertificateIssued"}},
		{"type prefix", events.Filter{TypePrefixes: []string{"CA", "CertificateIss"}}, []string{"CARootCreated", "CertificateIssued"}},
	}
	for _, tc := range tests {
		t.Run(tc.name+"/read", func(t *testing.T) {
			var got []string
			for r, err := range store.ReadAllMatching(ctx, 0, tc.filter) {
				require.NoError(t, err)
				got = append(got, r.Type)
			}
			assert.Equal(t, tc.want, got)
		})
		t.Run(tc.name+"/subscribe", func(t *testing.T) {
			subCtx, stop := context.WithCancel(ctx)
			defer stop()
			var got []string
			err := store.Subscribe(subCtx, 0, events.Subscription{Filter: &tc.filter, OnCaughtUp: stop},
				func(r events.Raw) error { got = append(got, r.Type); return nil })
			require.ErrorIs(t, err, context.Canceled)
			assert.Equal(t, tc.want, got)
		})
	}

	mixed := events.Filter{StreamPrefixes: []string{"ca-"}, TypePrefixes: []string{"CA"}}
	for _, err := range store.ReadAllMatching(ctx, 0, mixed) {
		require.ErrorContains(t, err, "not both")
	}
	require.ErrorContains(t, store.Subscribe(ctx, 0, events.Subscription{Filter: &events.Filter{}}, nil), "at least one prefix")
}

func TestFilteredSubscriptionReportsCheckpoints(t *testing.T) {
	store, client := newStore(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// Many events the filter leaves out: the server reports how far it scanned.
	batch := make([]esdb.EventData, 100)
	for i := range batch {
		batch[i] = esdb.EventData{EventType: "Noise", ContentType: esdb.ContentTypeJson, Data: []byte(`{}`)}
	}
	_, err := client.AppendToStream(ctx, "noise-"+uuid.NewString(), esdb.AppendToStreamOptions{}, batch...)
	require.NoError(t, err)
	last, err := store.LastPosition(ctx)
	require.NoError(t, err)

	subCtx, stop := context.WithCancel(ctx)
	defer stop()
	var checkpoints []uint64
	err = store.Subscribe(subCtx, 0, events.Subscription{
		Filter:       &events.Filter{StreamPrefixes: []string{"certificate-"}},
		OnCheckpoint: func(p uint64) { checkpoints = append(checkpoints, p) },
		OnCaughtUp:   stop,
	}, func(events.Raw) error { return nil })
	require.ErrorIs(t, err, context.Canceled)
	require.NotEmpty(t, checkpoints)
	assert.LessOrEqual(t, checkpoints[len(checkpoints)-1], last)
	assert.IsIncreasing(t, checkpoints)
}
