package siem

import (
	"fmt"

	"github.com/ThreeDotsLabs/watermill"
	wmamqp "github.com/ThreeDotsLabs/watermill-amqp/v3/pkg/amqp"
	"github.com/ThreeDotsLabs/watermill/message"
	amqp "github.com/rabbitmq/amqp091-go"
)

// amqpChannels is the most channels an AMQP publisher keeps open; each one has one publish
// waiting for its confirmation at a time.
const amqpChannels = 64

// openAMQP connects a RabbitMQ publisher (watermill-amqp) for a sink: it publishes to a durable
// topic exchange with the routing key (poisoned events with the poison routing key), as
// persistent messages with content type application/cloudevents+json and the event id as
// message id, and waits for the broker's publisher confirm of each. When the sink names a
// queue, the queue and "<queue>.poison" are declared durable and bound to the two keys, so that
// events are kept before any consumer exists.
func openAMQP(c SinkConfig, log watermill.LoggerAdapter) (message.Publisher, error) {
	if err := declareAMQP(c); err != nil {
		return nil, err
	}
	cfg := wmamqp.Config{
		Connection: wmamqp.ConnectionConfig{AmqpURI: c.URL, Reconnect: wmamqp.DefaultReconnectConfig()},
		Marshaler: wmamqp.DefaultMarshaler{PostprocessPublishing: func(p amqp.Publishing) amqp.Publishing {
			p.ContentType = ContentTypeCloudEvents
			p.MessageId, _ = p.Headers[wmamqp.DefaultMessageUUIDHeaderKey].(string)
			return p
		}},
		Exchange: wmamqp.ExchangeConfig{GenerateName: wmamqp.GenerateExchangeNameConstant(c.Exchange),
			Type: "topic", Durable: true},
		Publish: wmamqp.PublishConfig{GenerateRoutingKey: func(topic string) string { return topic },
			ConfirmDelivery: true, ChannelPoolSize: min(c.MaxInFlight, amqpChannels)},
		TopologyBuilder: &wmamqp.DefaultTopologyBuilder{},
	}
	pub, err := wmamqp.NewPublisher(cfg, log)
	if err != nil {
		return nil, fmt.Errorf("connect to AMQP at %s: %w", redact(c.URL), err)
	}
	// A broker that does not confirm, or a lost connection, is the sink being unavailable.
	return classifying{pub, unavailable}, nil
}

// declareAMQP declares the exchange, and the queues when the sink names one.
func declareAMQP(c SinkConfig) error {
	conn, err := amqp.Dial(c.URL)
	if err != nil {
		return fmt.Errorf("connect to AMQP at %s: %w", redact(c.URL), err)
	}
	defer func() { _ = conn.Close() }()
	ch, err := conn.Channel()
	if err != nil {
		return fmt.Errorf("AMQP channel: %w", err)
	}
	if err := ch.ExchangeDeclare(c.Exchange, "topic", true, false, false, false, nil); err != nil {
		return fmt.Errorf("declare AMQP exchange %s: %w", c.Exchange, err)
	}
	if c.Queue == "" {
		return nil
	}
	for queue, key := range map[string]string{c.Queue: c.RoutingKey, c.Queue + ".poison": c.PoisonRoutingKey} {
		if _, err := ch.QueueDeclare(queue, true, false, false, false, nil); err != nil {
			return fmt.Errorf("declare AMQP queue %s: %w", queue, err)
		}
		if err := ch.QueueBind(queue, key, c.Exchange, false, nil); err != nil {
			return fmt.Errorf("bind AMQP queue %s to %s: %w", queue, key, err)
		}
	}
	return nil
}
