package eventstore

import (
	"errors"
	"fmt"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/certledger/certledger/events"
)

// Store reads and appends ledger events through an EventStoreDB client.
type Store struct {
	client *esdb.Client
}

// Connect opens a client for a connection string such as "esdb://127.0.0.1:2113?tls=false".
// The client connects lazily; the first call reports an unreachable server.
func Connect(url string) (*Store, error) {
	cfg, err := esdb.ParseConnectionString(url)
	if err != nil {
		return nil, fmt.Errorf("event store url %q: %w", url, err)
	}
	cfg.Logger = esdb.NoopLogging()
	client, err := esdb.NewClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("event store client: %w", err)
	}
	return New(client), nil
}

// New wraps a client the caller configured.
func New(client *esdb.Client) *Store { return &Store{client: client} }

// Client returns the underlying client.
func (s *Store) Client() *esdb.Client { return s.client }

// Close closes the client.
func (s *Store) Close() error { return s.client.Close() }

// rawOf converts a recorded event to the ledger's raw form, keeping the stored bytes.
func rawOf(e *esdb.RecordedEvent) events.Raw {
	return events.Raw{
		Stream:         e.StreamID,
		Revision:       e.EventNumber,
		ID:             e.EventID,
		Type:           e.EventType,
		Data:           e.Data,
		StoredMetadata: e.UserMetadata,
		Position:       e.Position.Commit,
		Recorded:       e.CreatedDate,
	}
}

// isCode tells whether err is a client error with the given code.
func isCode(err error, code esdb.ErrorCode) bool {
	var esErr *esdb.Error
	return errors.As(err, &esErr) && esErr.Code() == code
}

// retryDelay is how long a dropped subscription waits before it reconnects.
const retryDelay = 500 * time.Millisecond
