package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// APITokenPrefix starts every API token the ledger mints. A token is
// "clt_" + its id as 32 lower-case hex digits + "_" + 32 random bytes in unpadded base64url
// (43 characters); only the SHA-256 of the whole string is stored.
const APITokenPrefix = "clt_"

// IssueAPIToken mints an API token with one role, for a team, for a lifetime.
type IssueAPIToken struct {
	CommandID   uuid.UUID
	TokenID     uuid.UUID
	Description string
	Role        domain.Role
	Team        string
	TTL         time.Duration
}

// IssuedAPIToken is a freshly minted token.
type IssuedAPIToken struct {
	// Token is the secret token string. It is shown this once: the ledger keeps only its hash.
	Token     string
	TokenID   uuid.UUID
	ExpiresAt time.Time
	Result    Result
}

// errReplayedIssue answers a retried IssueAPIToken: the first run's secret cannot be shown again.
func errReplayedIssue() error {
	return &domain.Error{Kind: domain.KindConflict,
		Message: "this token was already issued by the same request; its secret was shown once — revoke it and issue a new one"}
}

// IssueAPITokenHandler mints API tokens. It answers with the token, not a bare Result, since
// the secret is shown this once.
type IssueAPITokenHandler struct{ core *Core }

// NewIssueAPITokenHandler is the token minting handler.
func NewIssueAPITokenHandler(core *Core) *IssueAPITokenHandler { return &IssueAPITokenHandler{core} }

// Handle mints a token and records only its hash. A retried command (same CommandID) mints
// nothing and fails with a KindConflict error, since the first secret is stored nowhere.
func (h *IssueAPITokenHandler) Handle(ctx context.Context, cmd IssueAPIToken, caller Caller) (IssuedAPIToken, error) {
	if cmd.TokenID == uuid.Nil {
		return IssuedAPIToken{}, &domain.Error{Kind: domain.KindInvalid, Message: "an API token needs an id"}
	}
	token, err := newAPIToken(cmd.TokenID)
	if err != nil {
		return IssuedAPIToken{}, err
	}
	var issued domain.APITokenIssued
	stream := events.StreamName(events.CategoryAPIToken, cmd.TokenID)
	res, err := h.core.decide(ctx, cmd.CommandID, stream, caller, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		t, err := domain.NewAPITokenFromHistory(past)
		if err != nil {
			return nil, err
		}
		decided, err := t.Issue(domain.APITokenInput{TokenID: cmd.TokenID.String(), Description: cmd.Description,
			Role: cmd.Role, Team: cmd.Team, TTL: cmd.TTL, SecretSHA256: hashAPIToken(token)}, caller.Actor, at)
		if err != nil {
			return nil, err
		}
		issued = decided[0].(domain.APITokenIssued)
		return decided, nil
	})
	switch {
	case err != nil:
		return IssuedAPIToken{Result: res}, err
	case res.Replayed:
		return IssuedAPIToken{Result: res}, errReplayedIssue()
	}
	return IssuedAPIToken{Token: token, TokenID: cmd.TokenID, ExpiresAt: issued.ExpiresAt, Result: res}, nil
}

// newAPIToken makes the token string of id with a fresh secret from crypto/rand.
func newAPIToken(id uuid.UUID) (string, error) { return newSecretToken(APITokenPrefix, id) }

// hashAPIToken is what the ledger stores of a token: the lower-case hex SHA-256 of the string.
func hashAPIToken(token string) string { return hashSecretToken(token) }
