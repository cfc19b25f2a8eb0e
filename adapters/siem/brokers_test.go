package siem_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/stretchr/testify/require"
)

// The brokers the tests use; they run on the development machines and in CI.
const (
	natsURL = "nats://127.0.0.1:4222"
	amqpURL = "amqp://guest:guest@127.0.0.1:5672/"
)

// natsTarget is a JetStream stream and subject of one test, deleted when it ends.
type natsTarget struct {
	js              nats.JetStreamContext
	stream, subject string
}

func newNATSTarget(t testing.TB) *natsTarget {
	t.Helper()
	nc, err := nats.Connect(natsURL)
	require.NoError(t, err, "NATS with JetStream must run on %s: start it with `nats-server -js -a 127.0.0.1 -p 4222`", natsURL)
	t.Cleanup(nc.Close)
	js, err := nc.JetStream()
	require.NoError(t, err)
	name := randomName(t)
	n := &natsTarget{js: js, stream: "SIEMTEST_" + name, subject: "siemtest." + name + ".events"}
	t.Cleanup(func() { _ = js.DeleteStream(n.stream) })
	return n
}

// sink is the sink's configuration.
func (n *natsTarget) sink(name string) string {
	return fmt.Sprintf(`{"name":%q,"kind":"nats","url":%q,"subject":%q,"stream":%q}`, name, natsURL, n.subject, n.stream)
}

// count is the number of messages in the stream, 0 before it exists.
func (n *natsTarget) count(t testing.TB) uint64 {
	info, err := n.js.StreamInfo(n.stream)
	if err != nil {
		return 0
	}
	return info.State.Msgs
}

// payloads returns the stream's messages on subject, in stream order.
func (n *natsTarget) payloads(t testing.TB, subject string) [][]byte {
	t.Helper()
	info, err := n.js.StreamInfo(n.stream)
	require.NoError(t, err)
	var out [][]byte
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := n.js.GetMsg(n.stream, seq)
		require.NoError(t, err)
		if m.Subject == subject {
			out = append(out, m.Data)
		}
	}
	return out
}

// amqpTarget is a topic exchange and a queue bound to it, deleted when the test ends; it
// collects every message the queue receives.
type amqpTarget struct {
	exchange, queue, key string

	mu  sync.Mutex
	got [][]byte
}

func newAMQPTarget(t testing.TB) *amqpTarget {
	t.Helper()
	conn, err := amqp.Dial(amqpURL)
	require.NoError(t, err, "RabbitMQ must run on 127.0.0.1:5672 with guest/guest: start it with `rabbitmq-server`")
	t.Cleanup(func() { _ = conn.Close() })
	ch, err := conn.Channel()
	require.NoError(t, err)
	name := randomName(t)
	a := &amqpTarget{exchange: "siemtest-" + name, queue: "siemtest-" + name, key: "certledger.events"}
	require.NoError(t, ch.ExchangeDeclare(a.exchange, "topic", true, false, false, false, nil))
	for _, q := range []string{a.queue, a.queue + ".poison"} {
		_, err := ch.QueueDeclare(q, true, false, false, false, nil)
		require.NoError(t, err)
	}
	require.NoError(t, ch.QueueBind(a.queue, a.key, a.exchange, false, nil))
	require.NoError(t, ch.QueueBind(a.queue+".poison", a.key+".poison", a.exchange, false, nil))
	t.Cleanup(func() {
		_, _ = ch.QueueDelete(a.queue, false, false, false)
		_, _ = ch.QueueDelete(a.queue+".poison", false, false, false)
		_ = ch.ExchangeDelete(a.exchange, false, false)
	})
	deliveries, err := ch.Consume(a.queue, "", true, false, false, false, nil)
	require.NoError(t, err)
	go func() {
		for d := range deliveries {
			a.mu.Lock()
			a.got = append(a.got, d.Body)
			a.mu.Unlock()
		}
	}()
	return a
}

func (a *amqpTarget) sink(name string) string {
	return fmt.Sprintf(`{"name":%q,"kind":"amqp","url":%q,"exchange":%q,"queue":%q,"routing_key":%q}`,
		name, amqpURL, a.exchange, a.queue, a.key)
}

// received returns what the queue received so far, duplicates included.
func (a *amqpTarget) received() [][]byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([][]byte(nil), a.got...)
}

// distinct is the number of distinct CloudEvent ids received.
func (a *amqpTarget) distinct(t testing.TB) int {
	ids := map[string]bool{}
	for _, p := range a.received() {
		ce, _ := cloudEvent(t, p)
		ids[ce.ID] = true
	}
	return len(ids)
}

// settle waits until the queue has received nothing new for quiet.
func (a *amqpTarget) settle(quiet time.Duration) {
	n := -1
	for n != len(a.received()) {
		n = len(a.received())
		time.Sleep(quiet)
	}
}
