package commands

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
)

// ErrInvalidAPIToken is wrapped by every refusal of AuthenticateAPIToken: a malformed string,
// an unknown token, a wrong secret, a revoked or an expired token.
var ErrInvalidAPIToken = errors.New("invalid API token")

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
	return parseSecretToken(APITokenPrefix, token, ErrInvalidAPIToken)
}
