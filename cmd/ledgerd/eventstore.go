package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/api"
	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
	"github.com/certledger/certledger/infra/embeddedstore"
)

// eventStore is the ledger's event store adapter, and the embedded server behind it, if any.
type eventStore struct {
	// Store is the only way the application talks to the event store.
	Store *eventstore.Store
	// Description says where the store is, for the start-up log.
	Description string
	embedded    *embeddedstore.Server
	clientInUse bool
}

// leaveClientOpen tells Close that some goroutine may still be inside a client call; the process
// is about to exit, which closes the connection anyway.
func (s *eventStore) leaveClientOpen() { s.clientInUse = true }

// openEventStore starts the embedded store when cfg.EventStoreURL is empty, and connects the
// EventStoreDB client to it or to the configured URL.
func openEventStore(cfg config.Config, logger *slog.Logger) (*eventStore, error) {
	s := &eventStore{}
	url := cfg.EventStoreURL
	if url == "" {
		dir := filepath.Join(cfg.DataDir, "eventstore")
		srv, err := embeddedstore.Start(embeddedstore.Config{
			Dir: dir, Addr: cfg.EventStoreAddr, Logger: logger.With("component", "embeddedstore"),
		})
		if err != nil {
			return nil, fmt.Errorf("starting the embedded event store in %s on %s: %w", dir, cfg.EventStoreAddr, err)
		}
		s.embedded = srv
		url = srv.URL()
		s.Description = fmt.Sprintf("embedded at %s (data in %s)", url, dir)
	} else {
		s.Description = "external at " + redactURL(url)
	}

	esCfg, err := esdb.ParseConnectionString(url)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("parsing the event store URL: %w", err), s.Close())
	}
	esCfg.Logger = esdbLogging(logger.With("component", "esdb-client"))
	client, err := esdb.NewClient(esCfg)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("creating the EventStoreDB client: %w", err), s.Close())
	}
	s.Store = eventstore.New(client)
	return s, nil
}

// Close closes the client, then the embedded store. A client still in use by a goroutine that
// did not stop in time is left open (see leaveClientOpen): closing it under a running call makes
// the client library panic.
func (s *eventStore) Close() error {
	var errs []error
	if s.Store != nil && !s.clientInUse {
		if err := s.Store.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing the EventStoreDB client: %w", err))
		}
	}
	if s.embedded != nil {
		if err := s.embedded.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing the embedded event store: %w", err))
		}
	}
	return errors.Join(errs...)
}

// eventStoreCheck is ready when the newest event of $all can be read; an empty store returns no
// event and no error.
func eventStoreCheck(store *eventstore.Store) api.Check {
	return api.CheckFunc{CheckName: "eventstore", Func: func(ctx context.Context) error {
		_, err := store.ReadLast(ctx, 1)
		return err
	}}
}
