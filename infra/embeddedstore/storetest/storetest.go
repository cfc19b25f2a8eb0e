// Package storetest starts an embedded event store for a test, so that tests of every package run
// against the real protocol and storage instead of a fake.
package storetest

import (
	"io"
	"log/slog"
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/infra/embeddedstore"
)

// Start runs an embedded store in a fresh temporary folder on a free loopback port; it stops
// when the test ends.
func Start(t testing.TB) *embeddedstore.Server {
	t.Helper()
	return StartIn(t, t.TempDir())
}

// StartIn runs an embedded store on the given folder, for tests that restart a store.
func StartIn(t testing.TB, dir string) *embeddedstore.Server {
	t.Helper()
	srv, err := embeddedstore.Start(embeddedstore.Config{Dir: dir, Addr: "127.0.0.1:0",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err, "start embedded event store")
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// Client connects a quiet EventStoreDB client to a store; it is closed when the test ends.
func Client(t testing.TB, srv *embeddedstore.Server) *esdb.Client {
	t.Helper()
	cfg, err := esdb.ParseConnectionString(srv.URL())
	require.NoError(t, err)
	cfg.Logger = esdb.NoopLogging()
	c, err := esdb.NewClient(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}
