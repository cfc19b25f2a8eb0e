package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/tests/testutil"
)

// ledger is an embedded store holding a small honest ledger: two streams, three events.
func ledger(t *testing.T) (url string, client *esdb.Client, streams []string) {
	t.Helper()
	srv := storetest.Start(t)
	client = storetest.Client(t, srv)
	store := eventstore.New(client)
	meta := events.Metadata{SchemaVersion: 1, OccurredAt: time.Now().UTC(), Actor: events.Actor{Subject: "alice"}}
	for i, n := range []int{2, 1} {
		stream := events.StreamName(events.CategoryCertificate, uuid.New())
		var batch []events.Proposed
		for j := 0; j < n; j++ {
			batch = append(batch, events.Proposed{ID: uuid.New(), Type: "Issued", Data: []byte(`{"i":1}`), Metadata: meta})
		}
		_, err := store.Append(context.Background(), stream, events.Head{}, batch)
		require.NoError(t, err, "stream %d", i)
		streams = append(streams, stream)
	}
	return srv.URL(), client, streams
}

func runCtl(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code = run(ctx, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestAuditVerifyPassesOnAnHonestLedger(t *testing.T) {
	url, _, _ := ledger(t)
	code, out, errOut := runCtl(t, "audit", "verify", "--eventstore-url", url)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "OK: 3 events in 2 ledger streams verified")
}

func TestAuditVerifyNamesAnEventAppendedBehindTheLedgersBack(t *testing.T) {
	url, client, streams := ledger(t)
	ctx := context.Background()
	rs, err := client.ReadStream(ctx, streams[0], esdb.ReadStreamOptions{}, 1)
	require.NoError(t, err)
	genuine, err := rs.Recv()
	require.NoError(t, err)
	rs.Close()
	// The forger copies a genuine event's data and metadata byte for byte.
	_, err = client.AppendToStream(ctx, streams[0], esdb.AppendToStreamOptions{}, esdb.EventData{
		EventID: uuid.New(), EventType: genuine.Event.EventType, ContentType: esdb.ContentTypeJson,
		Data: genuine.Event.Data, Metadata: genuine.Event.UserMetadata,
	})
	require.NoError(t, err)

	code, out, _ := runCtl(t, "audit", "verify", "--eventstore-url", url)
	assert.Equal(t, exitBroken, code)
	assert.Contains(t, out, "BROKEN: stream "+streams[0]+", revision 2")
}

func TestAuditVerifyFailsClearlyWhenTheStoreIsUnreachable(t *testing.T) {
	code, _, errOut := runCtl(t, "audit", "verify", "--quiet", "--eventstore-url", "esdb://127.0.0.1:1?tls=false&connectionTimeout=500")
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, errOut, "audit verify")
}

func TestEventsTailPrintsTheNewestEvents(t *testing.T) {
	url, _, streams := ledger(t)
	code, out, errOut := runCtl(t, "events", "tail", "-n", "2", "--eventstore-url", url)
	require.Equal(t, exitOK, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], streams[0]+"@1  Issued  actor=alice  hash=")
	assert.Contains(t, lines[1], streams[1]+"@0  Issued")
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{name: "no arguments", args: nil, code: exitFailure},
		{name: "help", args: []string{"help"}, code: exitOK},
		{name: "unknown command", args: []string{"certs", "burn"}, code: exitFailure},
		{name: "unknown flag", args: []string{"audit", "verify", "--frobnicate"}, code: exitFailure},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCtl(t, tc.args...)
			assert.Equal(t, tc.code, code)
			if code == exitOK {
				assert.Contains(t, out, "Exit codes:", "asked for, the usage goes to stdout")
				return
			}
			assert.NotEmpty(t, errOut)
		})
	}
}

func TestEventsTailFollowPrintsNewEventsUntilInterrupted(t *testing.T) {
	url, client, _ := ledger(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut testutil.SyncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"events", "tail", "-n", "0", "--follow", "--eventstore-url", url}, &out, &errOut)
	}()

	stream := events.StreamName(events.CategoryCA, uuid.New())
	meta := events.Metadata{SchemaVersion: 1, OccurredAt: time.Now().UTC(), Actor: events.Actor{Subject: "bob"}}
	// Appended until the subscription, which starts after the newest event, has seen one.
	head := events.Head{}
	require.Eventually(t, func() bool {
		var err error
		head, err = eventstore.New(client).Append(context.Background(), stream, head,
			[]events.Proposed{{ID: uuid.New(), Type: "Created", Data: []byte(`{}`), Metadata: meta}})
		require.NoError(t, err)
		return strings.Contains(out.String(), stream+"@")
	}, 10*time.Second, 200*time.Millisecond)
	assert.Contains(t, out.String(), "Created  actor=bob")
	assert.NotContains(t, out.String(), "Issued", "-n 0 prints no history")

	cancel()
	assert.Equal(t, exitOK, <-done, errOut.String())
}
