// Package conformance_test proves that certledger's embedded event store behaves as EventStoreDB does,
// as seen through the only event-store code path the ledger has: the official EventStoreDB Go client
// (github.com/EventStore/EventStore-Client-Go/v4/esdb).
//
// One table of client-level scenarios runs against two targets:
//   - the embedded store (infra/embeddedstore), always, on a fresh data folder;
//   - a real EventStoreDB 24.10 container through testcontainers-go, when a Docker engine answers;
//     otherwise that target is skipped with the reason.
//
// What a green run proves, for each target:
//   - appends honour the expected revision (Any, NoStream, StreamExists, an exact revision), report the
//     stream's current revision, and place events at strictly increasing $all positions;
//   - every wrong expected revision is refused with ErrorCodeWrongExpectedVersion and changes nothing;
//   - a retried append with the same event ids is idempotent: it succeeds and writes nothing twice;
//   - stream and $all reads honour direction, start, count and inclusiveness, and a missing stream is
//     reported as not found; every event comes back with its type, content type, creation time, data
//     and user metadata exactly as appended;
//   - catch-up subscriptions deliver history, then caught-up, then live events, and start after the
//     given revision or position; filtered $all subscriptions deliver only matching events and send
//     checkpoints while they scan;
//   - soft delete and tombstone behave as documented (the tombstone case proves the server sends the
//     "exception" and "stream-name" trailers, since the client panics without them);
//   - a ~1 MiB event round-trips byte-exact, an append beyond the 1 MiB append limit is refused;
//   - 10,000 streams and 16 concurrent optimistic writers lose and duplicate nothing;
//   - a subscription stays alive for more than 40 s of client keepalive pings.
//
// Two more tests target the embedded store only: TestCrashRecovery kills a store process with SIGKILL
// under load and proves that every acknowledged append survives, byte-exact, without gaps or partial
// appends; TestMalformedRequests sends garbage at the gRPC level and proves the server answers with an
// error status and keeps serving.
package conformance_test

import (
	"context"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/certledger/certledger/infra/embeddedstore"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/stretchr/testify/require"
)

// scenario is one named client-level behaviour of EventStoreDB.
type scenario struct {
	name string
	run  func(t *testing.T, c *esdb.Client)
	// idle marks a scenario that mostly waits; it runs alongside the others instead of after them.
	idle bool
}

// scenarios is the conformance table; every scenario uses its own uuid-named streams.
var scenarios = []scenario{
	{name: "append_expected_any", run: appendExpectedAny},
	{name: "append_expected_no_stream", run: appendExpectedNoStream},
	{name: "append_expected_stream_exists", run: appendExpectedStreamExists},
	{name: "append_expected_exact_revision", run: appendExpectedExactRevision},
	{name: "append_positions_strictly_increase", run: appendPositionsIncrease},
	{name: "conflicts_change_nothing", run: conflictsChangeNothing},
	{name: "idempotent_retries", run: idempotentRetries},
	{name: "read_stream_directions_and_counts", run: readStreamDirections},
	{name: "read_missing_stream_not_found", run: readMissingStream},
	{name: "read_all_directions_and_positions", run: readAllDirections},
	{name: "recorded_event_metadata", run: recordedEventMetadata},
	{name: "subscribe_to_stream_catch_up_then_live", run: subscribeStreamCatchUpLive},
	{name: "subscribe_to_stream_from_revision_is_exclusive", run: subscribeStreamFromRevision},
	{name: "subscribe_to_all_catch_up_then_live", run: subscribeAllCatchUpLive},
	{name: "subscribe_to_all_from_position_is_exclusive", run: subscribeAllFromPosition},
	{name: "filtered_all_stream_prefix", run: filteredStreamPrefix},
	{name: "filtered_all_event_type_prefix", run: filteredEventTypePrefix},
	{name: "filtered_all_stream_regex", run: filteredStreamRegex},
	{name: "filtered_all_event_type_regex", run: filteredEventTypeRegex},
	{name: "filtered_all_checkpoints_while_scanning", run: filteredCheckpoints},
	{name: "soft_delete_then_append_continues", run: softDeleteThenAppend},
	{name: "tombstone_refuses_read_and_append", run: tombstoneRefuses},
	{name: "large_event_round_trips", run: largeEventRoundTrips},
	{name: "append_over_max_append_size_refused", run: oversizedAppendRefused},
	{name: "ten_thousand_streams", run: tenThousandStreams},
	{name: "concurrent_optimistic_writers", run: concurrentWriters},
	{name: "subscription_survives_keepalive_40s", run: subscriptionSurvivesKeepalive, idle: true},
}

func TestMain(m *testing.M) {
	if dir := crashChildDir(); dir != "" {
		runCrashChild(dir) // never returns
	}
	m.Run()
}

// TestConformance runs the scenario table against every available target.
func TestConformance(t *testing.T) {
	t.Run("embedded", func(t *testing.T) {
		runScenarios(t, dial(t, startEmbedded(t, t.TempDir()).URL()))
	})
	t.Run("eventstoredb", func(t *testing.T) {
		runScenarios(t, dial(t, startEventStoreDB(t)))
	})
}

// runScenarios runs the idle scenarios in parallel with the sequential run of all the others.
func runScenarios(t *testing.T, c *esdb.Client) {
	t.Run("idle", func(t *testing.T) {
		t.Parallel()
		for _, s := range scenarios {
			if s.idle {
				t.Run(s.name, func(t *testing.T) { s.run(t, c) })
			}
		}
	})
	t.Run("busy", func(t *testing.T) {
		t.Parallel()
		for _, s := range scenarios {
			if !s.idle {
				t.Run(s.name, func(t *testing.T) { s.run(t, c) })
			}
		}
	})
}

// startEmbedded starts the embedded store on dir and stops it when the test ends.
func startEmbedded(t *testing.T, dir string) *embeddedstore.Server {
	t.Helper()
	return storetest.StartIn(t, dir)
}

// dial connects the EventStoreDB client to url and waits until a first call succeeds.
func dial(t *testing.T, url string) *esdb.Client {
	t.Helper()
	cfg, err := esdb.ParseConnectionString(url)
	require.NoError(t, err)
	cfg.Logger = esdb.NoopLogging()
	c, err := esdb.NewClient(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		rs, err := c.ReadAll(ctx, esdb.ReadAllOptions{Direction: esdb.Backwards, From: esdb.End{}}, 1)
		if err == nil {
			_, err = rs.Recv()
			rs.Close()
		}
		if err == nil || isEOF(err) {
			return c
		}
		select {
		case <-ctx.Done():
			t.Fatalf("event store at %s never answered: %v", url, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}
