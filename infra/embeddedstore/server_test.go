package embeddedstore_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/infra/embeddedstore"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
)

// startStore runs an embedded store on dir and connects a client to it.
func startStore(t testing.TB, dir string) (*embeddedstore.Server, *esdb.Client) {
	t.Helper()
	srv := storetest.StartIn(t, dir)
	return srv, storetest.Client(t, srv)
}

func event(eventType string, data string) esdb.EventData {
	return esdb.EventData{EventID: uuid.New(), EventType: eventType, ContentType: esdb.ContentTypeJson, Data: []byte(data)}
}

func readStream(t *testing.T, c *esdb.Client, stream string) []*esdb.ResolvedEvent {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rs, err := c.ReadStream(ctx, stream, esdb.ReadStreamOptions{}, 1000)
	require.NoError(t, err)
	defer rs.Close()
	var out []*esdb.ResolvedEvent
	for {
		e, err := rs.Recv()
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		out = append(out, e)
	}
}

func TestAppendReadAndReopen(t *testing.T) {
	dir := t.TempDir()
	srv, c := startStore(t, dir)
	ctx := context.Background()
	stream := "certificate-" + uuid.NewString()

	res, err := c.AppendToStream(ctx, stream, esdb.AppendToStreamOptions{ExpectedRevision: esdb.NoStream{}},
		event("Requested", `{"n":1}`), event("Issued", `{"n":2}`))
	require.NoError(t, err)
	assert.Equal(t, uint64(1), res.NextExpectedVersion)
	assert.Positive(t, res.CommitPosition)

	_, err = c.AppendToStream(ctx, stream, esdb.AppendToStreamOptions{ExpectedRevision: esdb.Revision(0)}, event("X", `{}`))
	var esErr *esdb.Error
	require.ErrorAs(t, err, &esErr)
	assert.Equal(t, esdb.ErrorCodeWrongExpectedVersion, esErr.Code())

	got := readStream(t, c, stream)
	require.Len(t, got, 2)
	assert.Equal(t, "Issued", got[1].Event.EventType)
	assert.Equal(t, `{"n":2}`, string(got[1].Event.Data))
	assert.WithinDuration(t, time.Now(), got[1].Event.CreatedDate, 5*time.Second)

	require.NoError(t, srv.Close())
	_, c2 := startStore(t, dir)
	again := readStream(t, c2, stream)
	require.Len(t, again, 2)
	assert.Equal(t, got[1].Event.EventID, again[1].Event.EventID)
	assert.Equal(t, got[1].Event.Position, again[1].Event.Position)
}

func TestSubscribeToAllCatchUpThenLive(t *testing.T) {
	_, c := startStore(t, t.TempDir())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stream := "ca-" + uuid.NewString()
	_, err := c.AppendToStream(ctx, stream, esdb.AppendToStreamOptions{}, event("A", `{}`))
	require.NoError(t, err)

	sub, err := c.SubscribeToAll(ctx, esdb.SubscribeToAllOptions{From: esdb.Start{}})
	require.NoError(t, err)
	defer sub.Close()
	first := sub.Recv()
	require.NotNil(t, first.EventAppeared)
	assert.Equal(t, "A", first.EventAppeared.Event.EventType)
	require.NotNil(t, sub.Recv().CaughtUp)

	_, err = c.AppendToStream(ctx, stream, esdb.AppendToStreamOptions{}, event("B", `{}`))
	require.NoError(t, err)
	live := sub.Recv()
	require.NotNil(t, live.EventAppeared)
	assert.Equal(t, "B", live.EventAppeared.Event.EventType)
}

// TestConcurrentIdenticalRetriesWriteOnce sends the same append many times at once, so that
// copies land in the same commit group and in later ones: every copy succeeds, one is stored.
func TestConcurrentIdenticalRetriesWriteOnce(t *testing.T) {
	_, c := startStore(t, t.TempDir())
	stream := "certificate-" + uuid.NewString()
	batch := []esdb.EventData{event("Requested", `{}`), event("Issued", `{}`)}
	stored := 0
	for _, expected := range []esdb.ExpectedRevision{esdb.NoStream{}, esdb.Revision(1), esdb.Any{}} {
		t.Run(fmt.Sprintf("%T", expected), func(t *testing.T) {
			var wg sync.WaitGroup
			errs := make(chan error, 20)
			for i := 0; i < 20; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := c.AppendToStream(context.Background(), stream, esdb.AppendToStreamOptions{ExpectedRevision: expected}, batch...)
					errs <- err
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}
			stored += len(batch)
			assert.Len(t, readStream(t, c, stream), stored)
			batch = []esdb.EventData{event("Renewed", `{}`), event("Revoked", `{}`)}
		})
	}
}
