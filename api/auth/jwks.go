package auth

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// The JWKS refresh policy.
const (
	// JWKSMaxAge is how long fetched keys are used before the next token refreshes them.
	JWKSMaxAge = 15 * time.Minute
	// JWKSMinRefreshInterval is the least time between two fetches of the JWKS, whatever
	// triggers them, so tokens with forged key ids cannot make the ledger hammer the issuer.
	JWKSMinRefreshInterval = 10 * time.Second
)

// keySet caches an issuer's signing keys. It refreshes them lazily, on the first use after
// JWKSMaxAge or on an unknown key id, and never more often than JWKSMinRefreshInterval. A
// failed refresh keeps the keys it had. It is safe for concurrent use.
type keySet struct {
	url    string
	client *http.Client
	now    func() time.Time

	// fetching is held during a fetch: goroutines queued behind it find the refresh no longer
	// due and reuse its result instead of fetching again.
	fetching sync.Mutex

	mu           sync.RWMutex // guards the fields below
	keys         []signingKey
	fetchedAt    time.Time // when keys were fetched
	attemptedAt  time.Time // when the last fetch started, whether it succeeded or not
	lastFetchErr error     // why the last fetch failed; nil when it succeeded
}

func newKeySet(url string, client *http.Client, now func() time.Time) *keySet {
	return &keySet{url: url, client: client, now: now}
}

// load fetches the keys unconditionally; NewOIDC fails when this does.
func (s *keySet) load(ctx context.Context) error {
	return s.refreshIfDue(ctx, func(time.Time) bool { return true })
}

// find returns the key that verifies a token with key id kid and algorithm alg.
func (s *keySet) find(ctx context.Context, kid string, alg jose.SignatureAlgorithm) (crypto.PublicKey, error) {
	// A caller that gives up must not fail the fetch others wait for; the HTTP client's
	// timeout bounds it. A failed fetch keeps the current keys, and selectKey reports it.
	fetchCtx := context.WithoutCancel(ctx)
	if s.due(s.staleAt) {
		_ = s.refreshIfDue(fetchCtx, s.staleAt)
	}
	key, err := s.selectKey(kid, alg)
	if errors.Is(err, errUnknownSigningKey) {
		_ = s.refreshIfDue(fetchCtx, s.mayFetchAt)
		key, err = s.selectKey(kid, alg)
	}
	return key, err
}

// selectKey picks a key from the current set; when none fits, the error also names the failure
// of the last refresh, if it failed.
func (s *keySet) selectKey(kid string, alg jose.SignatureAlgorithm) (crypto.PublicKey, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	key, err := selectKey(s.keys, kid, alg)
	if err != nil && s.lastFetchErr != nil {
		err = fmt.Errorf("%w (the last refresh of the key set failed: %v)", err, s.lastFetchErr)
	}
	return key, err
}

// staleAt reports whether the keys are older than JWKSMaxAge and may be fetched again.
// The caller holds mu.
func (s *keySet) staleAt(now time.Time) bool {
	return now.Sub(s.fetchedAt) >= JWKSMaxAge && s.mayFetchAt(now)
}

// mayFetchAt reports whether JWKSMinRefreshInterval has passed since the last fetch.
// The caller holds mu.
func (s *keySet) mayFetchAt(now time.Time) bool {
	return now.Sub(s.attemptedAt) >= JWKSMinRefreshInterval
}

// due evaluates a refresh condition under the read lock.
func (s *keySet) due(condition func(now time.Time) bool) bool {
	now := s.now()
	s.mu.RLock()
	defer s.mu.RUnlock()
	return condition(now)
}

// refreshIfDue fetches the keys when condition holds. The condition is checked again while
// holding the fetch lock, so concurrent callers cause one fetch, not one each.
func (s *keySet) refreshIfDue(ctx context.Context, condition func(now time.Time) bool) error {
	s.fetching.Lock()
	defer s.fetching.Unlock()
	if !s.due(condition) {
		return nil
	}
	s.mu.Lock()
	s.attemptedAt = s.now()
	s.mu.Unlock()
	keys, err := fetchSigningKeys(ctx, s.client, s.url)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastFetchErr = err
	if err != nil {
		return err
	}
	s.keys, s.fetchedAt = keys, s.attemptedAt
	return nil
}
