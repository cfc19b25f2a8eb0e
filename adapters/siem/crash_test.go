package siem_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/siem"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/tests/testutil"
)

// childEnv holds the spec of a forwarder process when the test binary runs as one.
const childEnv = "CERTLEDGER_SIEM_CHILD"

// childSpec is what a forwarder process runs on.
type childSpec struct {
	StoreURL           string          `json:"store_url"`
	DatabaseURL        string          `json:"database_url"`
	Config             json.RawMessage `json:"config"`
	CheckpointInterval time.Duration   `json:"checkpoint_interval"`
}

func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" {
		runChild(spec)
		return
	}
	os.Exit(m.Run())
}

// runChild runs a forwarder until the process is killed.
func runChild(specJSON string) {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "forwarder process:", err)
		os.Exit(2)
	}
	var spec childSpec
	if err := json.Unmarshal([]byte(specJSON), &spec); err != nil {
		fail(err)
	}
	cfg, err := siem.ParseConfig(spec.Config)
	if err != nil {
		fail(err)
	}
	store, err := eventstore.Connect(spec.StoreURL)
	if err != nil {
		fail(err)
	}
	pool, err := pgxpool.New(context.Background(), spec.DatabaseURL)
	if err != nil {
		fail(err)
	}
	f, err := siem.New(cfg, siem.Options{Source: store, Pool: pool, CheckpointInterval: spec.CheckpointInterval,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		fail(err)
	}
	fail(fmt.Errorf("Run returned: %v", f.Run(context.Background())))
}

// startChild runs the test binary as a forwarder process; it is killed when the test ends.
func startChild(t *testing.T, spec childSpec) *exec.Cmd {
	t.Helper()
	b, err := json.Marshal(spec)
	require.NoError(t, err)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+string(b))
	logs := &testutil.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("forwarder process output:\n%s", logs)
		}
	})
	return cmd
}

// TestCrashRedeliversAndBrokersDeduplicate runs the forwarder in a process of its own with a
// NATS JetStream sink and a RabbitMQ sink, SIGKILLs it mid-stream (so no final checkpoint is
// written) while events keep being appended, and starts it again. Every event then reaches
// both brokers exactly once after deduplication: JetStream's duplicate window drops the
// redeliveries; the RabbitMQ consumer drops them by CloudEvent id. Each stream arrives in order.
func TestCrashRedeliversAndBrokersDeduplicate(t *testing.T) {
	e := newEnv(t)
	nt, at := newNATSTarget(t), newAMQPTarget(t)
	spec := childSpec{StoreURL: e.storeURL, DatabaseURL: e.dbURL,
		Config: json.RawMessage(fmt.Sprintf(`{"source":"urn:certledger:test","sinks":[%s,%s]}`,
			nt.sink("soc"), at.sink("rabbit"))),
		CheckpointInterval: time.Hour} // the first process stores no checkpoint before 1,000 acks
	const streams, perStream = 200, 10
	appended := make(chan error, 1)
	go func() {
		_, err := e.appendEventsErr(uniform(streams, events.CategoryCertificate, "CertificateIssued", perStream), 1, 60*time.Millisecond)
		appended <- err
	}()

	first := startChild(t, spec)
	waitFor(t, 60*time.Second, "300 events in JetStream and 100 in RabbitMQ", func() bool {
		return nt.count(t) >= 300 && len(at.received()) >= 100
	})
	require.NoError(t, first.Process.Kill())
	_ = first.Wait()
	forwarded := nt.count(t)
	cp, err := siem.Checkpoint(context.Background(), e.pool, "soc")
	require.NoError(t, err)
	delivered := nt.payloads(t, nt.subject)
	ce, _ := cloudEvent(t, delivered[len(delivered)-1])
	require.Less(t, cp, mustUint(t, ce.Position), "killed with acknowledged events past the stored checkpoint")
	require.Less(t, forwarded, uint64(streams*perStream), "killed mid-stream")

	spec.CheckpointInterval = 0
	startChild(t, spec)
	require.NoError(t, <-appended)
	want := len(e.ledgerEvents(t, nil))
	require.Equal(t, streams*perStream, want)
	waitFor(t, 120*time.Second, "every event in JetStream and RabbitMQ", func() bool {
		return nt.count(t) >= uint64(want) && at.distinct(t) >= want
	})
	at.settle(300 * time.Millisecond)

	js := nt.payloads(t, nt.subject)
	assert.Len(t, js, want, "JetStream holds each event once")
	assert.Equal(t, want, inOrder(t, js))
	rabbit := at.received()
	assert.Equal(t, want, inOrder(t, rabbit), "distinct events in RabbitMQ")
	assert.Greater(t, len(rabbit), want, "the restarted forwarder redelivered events to RabbitMQ")
	t.Logf("killed after %d events (checkpoint %d); RabbitMQ got %d deliveries of %d events", forwarded, cp, len(rabbit), want)
	assert.Empty(t, nt.payloads(t, nt.subject+".poison"))
}

func mustUint(t testing.TB, s string) uint64 {
	var n uint64
	_, err := fmt.Sscan(strings.TrimSpace(s), &n)
	require.NoError(t, err)
	return n
}
