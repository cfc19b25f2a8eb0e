package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// JoinTokenPrefix starts every agent join token: "clj_" + the agent id as 32 lower-case hex
// digits + "_" + 32 random bytes in unpadded base64url, the format of API tokens.
const JoinTokenPrefix = "clj_"

// IssueJoinToken mints the one-time join token of a new agent of a team, whose client
// certificate the agent CA CAID will sign under domain.AgentProfile.
type IssueJoinToken struct {
	CommandID uuid.UUID
	AgentID   uuid.UUID
	Name      string
	Team      string
	CAID      string
	TTL       time.Duration
}

// IssuedJoinToken is a freshly minted join token, shown this once.
type IssuedJoinToken struct {
	Token     string
	AgentID   uuid.UUID
	ExpiresAt time.Time
	Result    Result
}

// IssueJoinTokenHandler mints agent join tokens.
type IssueJoinTokenHandler struct{ core *Core }

// NewIssueJoinTokenHandler is the join token minting handler.
func NewIssueJoinTokenHandler(core *Core) *IssueJoinTokenHandler { return &IssueJoinTokenHandler{core} }

// Handle mints a join token and records only its hash, opening the agent's stream. A retried
// command mints nothing and fails with KindConflict, as for API tokens.
func (h *IssueJoinTokenHandler) Handle(ctx context.Context, cmd IssueJoinToken, caller Caller) (IssuedJoinToken, error) {
	if cmd.AgentID == uuid.Nil {
		return IssuedJoinToken{}, &domain.Error{Kind: domain.KindInvalid, Message: "an agent needs an id"}
	}
	token, err := newSecretToken(JoinTokenPrefix, cmd.AgentID)
	if err != nil {
		return IssuedJoinToken{}, err
	}
	ttl := cmd.TTL
	if ttl == 0 {
		ttl = domain.DefaultJoinTokenTTL
	}
	var issued domain.AgentJoinTokenIssued
	stream := events.StreamName(events.CategoryAgent, cmd.AgentID)
	res, err := h.core.decide(ctx, cmd.CommandID, stream, caller, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		a, err := domain.NewAgentFromHistory(past)
		if err != nil {
			return nil, err
		}
		decided, err := a.IssueJoinToken(domain.JoinTokenInput{AgentID: cmd.AgentID.String(), Name: cmd.Name, Team: cmd.Team,
			CAID: cmd.CAID, Profile: domain.AgentProfile, TTL: ttl, SecretSHA256: hashSecretToken(token)}, caller.Actor, at)
		if err != nil {
			return nil, err
		}
		issued = decided[0].(domain.AgentJoinTokenIssued)
		return decided, nil
	})
	switch {
	case err != nil:
		return IssuedJoinToken{Result: res}, err
	case res.Replayed:
		return IssuedJoinToken{Result: res}, errReplayedIssue()
	}
	return IssuedJoinToken{Token: token, AgentID: cmd.AgentID, ExpiresAt: issued.ExpiresAt, Result: res}, nil
}
