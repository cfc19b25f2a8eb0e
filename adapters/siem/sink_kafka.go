package siem

import (
	"errors"
	"fmt"
	"time"

	"github.com/IBM/sarama"
	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill-kafka/v3/pkg/kafka"
	"github.com/ThreeDotsLabs/watermill/message"
)

// openKafka connects a Kafka publisher (watermill-kafka, sarama's synchronous producer) for a
// sink. The record key is the event's stream, so that every event of a stream lands in the same
// partition, in order; the producer is idempotent and waits for all in-sync replicas. The topics
// must exist, or the brokers must create them on first use.
func openKafka(c SinkConfig, log watermill.LoggerAdapter) (message.Publisher, error) {
	sc := kafka.DefaultSaramaSyncPublisherConfig()
	sc.ClientID = "certledger-siem"
	sc.Version = sarama.V2_1_0_0
	sc.Producer.RequiredAcks = sarama.WaitForAll
	sc.Producer.Idempotent = true
	sc.Net.MaxOpenRequests = 1 // required by the idempotent producer
	sc.Producer.Retry.Backoff = 100 * time.Millisecond
	sc.Metadata.Retry.Max = 2
	sc.Metadata.Retry.Backoff = 250 * time.Millisecond
	pub, err := kafka.NewPublisher(kafka.PublisherConfig{
		Brokers:               c.Brokers,
		Marshaler:             kafka.NewWithPartitioningMarshaler(streamKey),
		OverwriteSaramaConfig: sc,
	}, log)
	if err != nil {
		return nil, fmt.Errorf("connect to Kafka at %v: %w", c.Brokers, err)
	}
	return classifying{pub, classifyKafka}, nil
}

// streamKey is the Kafka record key of a message: its ledger stream.
func streamKey(_ string, msg *message.Message) (string, error) {
	return msg.Metadata.Get(MetaStream), nil
}

// classifyKafka keeps the rejections of one record as they are and marks every other error as
// the sink being unavailable.
func classifyKafka(err error) error {
	for _, rejected := range []error{sarama.ErrMessageSizeTooLarge, sarama.ErrInvalidMessage, sarama.ErrInvalidMessageSize} {
		if errors.Is(err, rejected) {
			return err
		}
	}
	return unavailable(err)
}
