package acme

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"time"
)

// Validator validates one type of challenge from the ledger: it proves, within its attempts,
// that whoever controls identifier answers keyAuth (RFC 8555 §8.1) for token. It returns the
// attempts made and, when the validation failed, the ACME error type and a detail.
type Validator interface {
	Validate(ctx context.Context, identifier, token, keyAuth string) (attempts int, problemType, detail string)
}

// Validators are the challenge types a server offers, by type ("http-01", "dns-01",
// "tls-alpn-01"); every authorization offers each of them.
type Validators map[string]Validator

// Retry is how often and how patiently a validator tries: Timeout bounds one attempt,
// Attempts is how many are made, Backoff the wait between them.
type Retry struct {
	Timeout  time.Duration
	Attempts int
	Backoff  time.Duration
}

// run calls once until it succeeds or the attempts run out.
func (r Retry) run(ctx context.Context, once func(ctx context.Context) (problemType, detail string)) (attempts int, problemType, detail string) {
	for attempts = 1; ; attempts++ {
		attemptCtx, cancel := context.WithTimeout(ctx, max(r.Timeout, time.Second))
		problemType, detail = once(attemptCtx)
		cancel()
		if problemType == "" || attempts >= max(r.Attempts, 1) {
			return attempts, problemType, detail
		}
		select {
		case <-ctx.Done():
			return attempts, "connection", "validation cancelled: " + ctx.Err().Error()
		case <-time.After(r.Backoff):
		}
	}
}

// keyAuthDigest is the SHA-256 of a key authorization, which dns-01 (base64url) and
// tls-alpn-01 (raw) publish.
func keyAuthDigest(keyAuth string) []byte {
	sum := sha256.Sum256([]byte(keyAuth))
	return sum[:]
}

func dns01Value(keyAuth string) string {
	return base64.RawURLEncoding.EncodeToString(keyAuthDigest(keyAuth))
}
