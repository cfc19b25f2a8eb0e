package siem_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/certledger/certledger/events"
)

// newKafka starts an in-process Kafka (kfake, the real protocol) with the topics, 4 partitions
// each.
func newKafka(t testing.TB, topics ...string) []string {
	t.Helper()
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(4, topics...))
	require.NoError(t, err)
	t.Cleanup(cluster.Close)
	return cluster.ListenAddrs()
}

// kafkaRecords consumes topic from the start until it has n records or timeout passes.
func kafkaRecords(t testing.TB, brokers []string, topic string, n int, timeout time.Duration) []*kgo.Record {
	t.Helper()
	client, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxWait(100*time.Millisecond))
	require.NoError(t, err)
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var out []*kgo.Record
	for len(out) < n && ctx.Err() == nil {
		fetches := client.PollFetches(ctx)
		fetches.EachRecord(func(r *kgo.Record) { out = append(out, r) })
	}
	return out
}

// TestKafka forwards to Kafka: every event once, keyed by its stream, each stream in order
// within its partition.
func TestKafka(t *testing.T) {
	e := newEnv(t)
	brokers := newKafka(t, "certledger.events", "certledger.events.poison")
	e.appendEvents(t, uniform(100, events.CategoryCertificate, "CertificateIssued", 10), 2, 0)
	want := e.ledgerEvents(t, nil)
	f, _ := e.start(t, config(t, fmt.Sprintf(`{"sinks":[{"name":"bus","kind":"kafka","brokers":[%q],"topic":"certledger.events"}]}`, brokers[0])))
	waitFor(t, 60*time.Second, "the Kafka sink to catch up", func() bool { return caughtUp(t, f, "bus") })

	records := kafkaRecords(t, brokers, "certledger.events", len(want), 30*time.Second)
	require.Len(t, records, len(want))
	last := map[string]uint64{}
	seen := map[string]bool{}
	for _, r := range records {
		ce, rev := cloudEvent(t, r.Value)
		assert.Equal(t, ce.Subject, string(r.Key), "the record key is the stream")
		assert.Contains(t, want, ce.ID)
		assert.False(t, seen[ce.ID], "event %s once", ce.ID)
		seen[ce.ID] = true
		if prev, ok := last[ce.Subject]; ok {
			assert.Greater(t, rev, prev, "stream %s in order", ce.Subject)
		}
		last[ce.Subject] = rev
	}
}
