package commands

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
)

// ErrInvalidAPIToken is wrapped by every refusal of AuthenticateAPIToken: a malformed string,
// an unknown token, a wrong secret, a revoked or an expired token.
var ErrInvalidAPIToken = errors.New("invalid API token")

// Lengths of the parts of a token string after APITokenPrefix.
const (
	apiTokenIDLen     = 32 // hex digits
	apiTokenSecretLen = 43 // base64url characters of 32 bytes, unpadded
)

// AuthenticateAPIToken returns the actor a ledger API token stands for. It reads the token's
// stream from the event store on every call, with no cache, so that a revocation takes effect
// on the very next request; the secret's hash is compared in constant time.
func (q *Queries) AuthenticateAPIToken(ctx context.Context, token string) (domain.Actor, error) {
	id, err := parseAPIToken(token)
	if err != nil {
		return domain.Actor{}, err
	}
	t, err := q.core.loadAPIToken(ctx, id)
	if err != nil {
		return domain.Actor{}, fmt.Errorf("authenticate API token %s: %w", id, err)
	}
	if !t.MatchesSecret(hashAPIToken(token)) {
		return domain.Actor{}, fmt.Errorf("API token %s: %w: unknown, or the secret does not match", id, ErrInvalidAPIToken)
	}
	switch t.Status(q.core.now()) {
	case domain.TokenRevoked:
		r, _ := t.Revocation()
		return domain.Actor{}, fmt.Errorf("API token %s: %w: revoked by %s at %s", id, ErrInvalidAPIToken, r.By, r.At.Format(time.RFC3339))
	case domain.TokenExpired:
		return domain.Actor{}, fmt.Errorf("API token %s: %w: expired at %s", id, ErrInvalidAPIToken, t.ExpiresAt().Format(time.RFC3339))
	}
	return t.Actor(), nil
}

// parseAPIToken checks a token string's format strictly and returns the token id it names.
func parseAPIToken(token string) (uuid.UUID, error) {
	rest, ok := strings.CutPrefix(token, APITokenPrefix)
	if !ok {
		return uuid.Nil, fmt.Errorf("%w: it does not start with %q", ErrInvalidAPIToken, APITokenPrefix)
	}
	if len(rest) != apiTokenIDLen+1+apiTokenSecretLen || rest[apiTokenIDLen] != '_' {
		return uuid.Nil, fmt.Errorf("%w: it is not %s<32 hex digits>_<43 base64url characters>", ErrInvalidAPIToken, APITokenPrefix)
	}
	idHex, secret := rest[:apiTokenIDLen], rest[apiTokenIDLen+1:]
	if strings.Trim(idHex, "0123456789abcdef") != "" {
		return uuid.Nil, fmt.Errorf("%w: its id is not 32 lower-case hex digits", ErrInvalidAPIToken)
	}
	if b, err := base64.RawURLEncoding.Strict().DecodeString(secret); err != nil || len(b) != 32 {
		return uuid.Nil, fmt.Errorf("%w: its secret is not 32 bytes in unpadded base64url", ErrInvalidAPIToken)
	}
	raw, err := hex.DecodeString(idHex)
	if err != nil {
		return uuid.Nil, fmt.Errorf("%w: its id: %w", ErrInvalidAPIToken, err)
	}
	return uuid.UUID(raw), nil
}
