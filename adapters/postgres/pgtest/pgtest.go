// Package pgtest gives a test a Postgres database of its own on the machine's server, so that the
// tests of several packages can run in parallel without seeing each other's tables.
//
// Invariants: every database it creates is named ledger_test_<random hex>, and it drops only the
// databases it created, when the test that created them ends.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
)

// DefaultURL is the server the tests use when DATABASE_URL is not set; it is ledgerd's default.
const DefaultURL = "postgres://127.0.0.1:5432/test?sslmode=disable"

// URL returns DATABASE_URL, or DefaultURL when it is empty.
func URL() string {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// NewDatabase creates a fresh database on the server of URL() and returns a pool connected to it.
// The pool is closed and the database dropped (WITH (FORCE), so leftover connections do not keep
// it alive) when the test ends. A server that cannot be reached fails the test.
func NewDatabase(t testing.TB) *pgxpool.Pool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg, err := pgxpool.ParseConfig(NewDatabaseURL(t))
	require.NoError(t, err)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err, "connect to test database %s", cfg.ConnConfig.Database)
	t.Cleanup(pool.Close)
	return pool
}

// NewDatabaseURL creates a fresh database like NewDatabase and returns its connection string,
// for a process under test such as ledgerd.
func NewDatabaseURL(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, URL())
	require.NoError(t, err, "connect to Postgres at %s (set DATABASE_URL)", URL())
	defer func() { _ = admin.Close(context.Background()) }()

	name := "ledger_test_" + randomHex(t)
	ident := pgx.Identifier{name}.Sanitize()
	_, err = admin.Exec(ctx, "CREATE DATABASE "+ident)
	require.NoError(t, err, "create test database %s", name)
	t.Cleanup(func() { dropDatabase(t, ident) })

	u, err := url.Parse(URL())
	require.NoError(t, err)
	u.Path = "/" + name
	return u.String()
}

// dropDatabase drops a database NewDatabase created.
func dropDatabase(t testing.TB, ident string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, URL())
	if err != nil {
		t.Errorf("drop test database %s: %v", ident, err)
		return
	}
	defer func() { _ = admin.Close(context.Background()) }()
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
		t.Errorf("drop test database %s: %v", ident, err)
	}
}

func randomHex(t testing.TB) string {
	var b [6]byte
	_, err := rand.Read(b[:])
	require.NoError(t, err)
	return hex.EncodeToString(b[:])
}
