// Package acmenonces keeps the ACME server's replay nonces in Postgres (table acme_nonces,
// migration 0014), where every ledgerd node sees them.
//
// Invariants:
//   - A nonce is 128 bits from crypto/rand, base64url, and is valid until its expiry.
//   - Consume accepts a nonce at most once, across processes and restarts: the accepting
//     statement is a single DELETE … RETURNING, so of two concurrent uses one deletes the row
//     and the other finds none.
//   - Expired nonces are refused, and deleted now and then by New (one call in purgeEvery).
package acmenonces

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	crand "crypto/rand"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DefaultTTL is how long a nonce stays valid when Store.TTL is zero.
const DefaultTTL = time.Hour

// purgeEvery is how many New calls, on average, delete the expired nonces once.
const purgeEvery = 64

// Store hands out and consumes nonces in Postgres.
type Store struct {
	pool *pgxpool.Pool
	ttl  time.Duration
}

// New is a nonce store on pool; ttl 0 means DefaultTTL.
func New(pool *pgxpool.Pool, ttl time.Duration) *Store {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	return &Store{pool: pool, ttl: ttl}
}

// New records and returns a fresh nonce.
func (s *Store) New(ctx context.Context) (string, error) {
	b := make([]byte, 16)
	if _, err := crand.Read(b); err != nil {
		return "", fmt.Errorf("ACME nonce: %w", err)
	}
	nonce := base64.RawURLEncoding.EncodeToString(b)
	if _, err := s.pool.Exec(ctx, `INSERT INTO acme_nonces (nonce, expires_at) VALUES ($1, now() + make_interval(secs => $2))`,
		nonce, s.ttl.Seconds()); err != nil {
		return "", fmt.Errorf("ACME nonce: record: %w", err)
	}
	if rand.IntN(purgeEvery) == 0 {
		if _, err := s.pool.Exec(ctx, `DELETE FROM acme_nonces WHERE expires_at <= now()`); err != nil {
			return "", fmt.Errorf("ACME nonce: purge expired: %w", err)
		}
	}
	return nonce, nil
}

// Consume reports whether nonce was handed out, has not expired and was not used before; it
// is used from then on.
func (s *Store) Consume(ctx context.Context, nonce string) (bool, error) {
	if nonce == "" || len(nonce) > 64 {
		return false, nil
	}
	var fresh bool
	err := s.pool.QueryRow(ctx, `DELETE FROM acme_nonces WHERE nonce = $1 RETURNING expires_at > now()`, nonce).Scan(&fresh)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("ACME nonce: consume: %w", err)
	}
	return fresh, nil
}
