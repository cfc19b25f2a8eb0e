package siem

import (
	"errors"
	"fmt"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmnats "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/nats"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/nats-io/nats.go"
)

// jsMessageTooLarge is JetStream's error code for a message above the stream's maximum size.
const jsMessageTooLarge nats.ErrorCode = 10054

// openNATS connects a JetStream publisher (watermill-nats) for a sink. Each message carries its
// UUID, the ledger event id, as Nats-Msg-Id (TrackMsgId), so the stream drops a redelivery that
// arrives within its duplicate window. The stream is created when it does not exist, capturing
// the subject and the poison subject, in file storage, with the configured duplicate window; an
// existing stream is used as it is and must capture both subjects.
//
// Publish waits for JetStream's acknowledgement of each message (the adapter offers no
// asynchronous publishing); throughput comes from the forwarder keeping many messages in flight.
func openNATS(c SinkConfig, log watermill.LoggerAdapter) (message.Publisher, error) {
	nc, err := nats.Connect(c.URL, nats.Name("certledger-siem-"+c.Name), nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second), nats.Timeout(5*time.Second))
	if err != nil {
		return nil, fmt.Errorf("connect to NATS at %s: %w", redact(c.URL), err)
	}
	js, err := nc.JetStream()
	if err == nil {
		err = ensureStream(js, c)
	}
	if err != nil {
		nc.Close()
		return nil, err
	}
	pub, err := wmnats.NewPublisherWithNatsConn(nc, wmnats.PublisherPublishConfig{
		Marshaler:         &wmnats.NATSMarshaler{},
		SubjectCalculator: wmnats.DefaultSubjectCalculator,
		JetStream:         wmnats.JetStreamConfig{TrackMsgId: true},
	}, log)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("NATS publisher: %w", err)
	}
	return classifying{pub, classifyNATS}, nil
}

// ensureStream creates the sink's JetStream stream unless it exists.
func ensureStream(js nats.JetStreamContext, c SinkConfig) error {
	_, err := js.StreamInfo(c.Stream)
	if err == nil {
		return nil
	}
	if !errors.Is(err, nats.ErrStreamNotFound) {
		return fmt.Errorf("look up JetStream stream %s: %w", c.Stream, err)
	}
	_, err = js.AddStream(&nats.StreamConfig{Name: c.Stream, Subjects: []string{c.Subject, c.PoisonSubject},
		Storage: nats.FileStorage, Duplicates: time.Duration(c.DuplicateWindow)})
	if err != nil && !errors.Is(err, nats.ErrStreamNameAlreadyInUse) {
		return fmt.Errorf("create JetStream stream %s: %w", c.Stream, err)
	}
	return nil
}

// classifyNATS keeps the rejections of one message (too large) as they are and marks every other
// error (no connection, no acknowledgement in time, no stream) as the sink being unavailable.
func classifyNATS(err error) error {
	var apiErr *nats.APIError
	if errors.Is(err, nats.ErrMaxPayload) || (errors.As(err, &apiErr) && apiErr.ErrorCode == jsMessageTooLarge) {
		return err
	}
	return unavailable(err)
}
