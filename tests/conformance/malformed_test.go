package conformance_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

// refusals are the gRPC codes that say "your request is malformed".
var refusals = []codes.Code{codes.InvalidArgument, codes.FailedPrecondition, codes.OutOfRange}

// TestMalformedRequests sends garbage to the embedded store at the gRPC level: each request must get
// an error status saying the request is malformed, write nothing, and leave the server serving.
func TestMalformedRequests(t *testing.T) {
	srv := startEmbedded(t, t.TempDir())
	c := dial(t, srv.URL())
	conn, err := grpc.NewClient(srv.Addr(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	streams := api.NewStreamsClient(conn)

	for _, tc := range malformedAppends() {
		t.Run("append_"+tc.name, func(t *testing.T) {
			requireRefused(t, sendAppend(t, streams, tc.msgs))
			_, err := readStream(t, c, malformedStream, esdb.ReadStreamOptions{}, 10)
			requireCode(t, err, esdb.ErrorCodeResourceNotFound)
			requireServing(t, c)
		})
	}
	for _, tc := range malformedReads() {
		t.Run("read_"+tc.name, func(t *testing.T) {
			requireRefused(t, sendRead(t, streams, tc.req))
			requireServing(t, c)
		})
	}
	t.Run("delete_without_options", func(t *testing.T) {
		_, err := streams.Delete(ctxFor(t, opTimeout), &api.DeleteReq{})
		requireRefused(t, err)
		requireServing(t, c)
	})
	t.Run("tombstone_without_options", func(t *testing.T) {
		_, err := streams.Tombstone(ctxFor(t, opTimeout), &api.TombstoneReq{})
		requireRefused(t, err)
		requireServing(t, c)
	})
}

// sendAppend streams msgs as one Append call and returns the call's error.
func sendAppend(t *testing.T, streams api.StreamsClient, msgs []*api.AppendReq) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	call, err := streams.Append(ctx)
	require.NoError(t, err)
	for _, m := range msgs {
		if err := call.Send(m); err != nil {
			break // the server may answer before reading everything; CloseAndRecv gives its status
		}
	}
	_, err = call.CloseAndRecv()
	return err
}

// sendRead makes one Read call and returns the first error it yields.
func sendRead(t *testing.T, streams api.StreamsClient, req *api.ReadReq) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	call, err := streams.Read(ctx, req)
	if err != nil {
		return err
	}
	var sent []string
	for {
		msg, err := call.Recv()
		if errors.Is(err, io.EOF) {
			t.Fatalf("the server accepted the request: status OK after %v", sent)
		}
		if err != nil {
			return err
		}
		sent = append(sent, fmt.Sprintf("%T", msg.Content))
		if msg.GetConfirmation() != nil || msg.GetEvent() != nil {
			t.Fatalf("the server accepted the request and sent %v", sent)
		}
	}
}

// requireRefused requires err to be a gRPC status saying the request is malformed.
func requireRefused(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err, "a malformed request must fail")
	st, ok := status.FromError(err)
	require.True(t, ok, "not a gRPC status: %v", err)
	require.Contains(t, refusals, st.Code(), "status %s: %s", st.Code(), st.Message())
}

// requireServing requires a normal append and read through the official client to work.
func requireServing(t *testing.T, c *esdb.Client) {
	t.Helper()
	s, ev := newStream("alive"), newEvent("Alive")
	appendOK(t, c, s, esdb.NoStream{}, ev)
	require.Equal(t, ev.EventID, readWhole(t, c, s)[0].EventID)
}

// malformedStream is the stream the malformed appends name, when they name one.
var malformedStream = newStream("malformed")

// idOf is a well-formed event id.
func idOf(id uuid.UUID) *shared.UUID {
	return &shared.UUID{Value: &shared.UUID_String_{String_: id.String()}}
}
