package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// AgentHeartbeat is what an agent reports of itself; the agent is the caller.
type AgentHeartbeat struct {
	CommandID            uuid.UUID
	Host, Version, State string
}

// AgentHeartbeatHandler records agents' heartbeats, coalesced by the domain: an unchanged
// agent appends one event per domain.AgentHeartbeatInterval, however often it reports.
type AgentHeartbeatHandler struct{ core *Core }

// NewAgentHeartbeatHandler is the heartbeat handler.
func NewAgentHeartbeatHandler(core *Core) *AgentHeartbeatHandler { return &AgentHeartbeatHandler{core} }

// Handle records the calling agent's heartbeat; a caller that is no agent is KindForbidden.
func (h *AgentHeartbeatHandler) Handle(ctx context.Context, cmd AgentHeartbeat, caller Caller) (Result, error) {
	id, err := callingAgent(caller)
	if err != nil {
		return Result{}, err
	}
	return h.core.decide(ctx, cmd.CommandID, events.StreamName(events.CategoryAgent, id), caller,
		func(past []domain.Event, at time.Time) ([]domain.Event, error) {
			a, err := domain.NewAgentFromHistory(past)
			if err != nil {
				return nil, err
			}
			if !a.Exists() {
				return nil, &domain.Error{Kind: domain.KindNotFound, Message: "agent " + id.String() + " does not exist"}
			}
			return a.Heartbeat(cmd.Host, cmd.Version, cmd.State, at)
		})
}

// callingAgent is the id of the agent that is the caller.
func callingAgent(caller Caller) (uuid.UUID, error) {
	s, ok := domain.AgentIDOf(caller.Actor)
	id, err := uuid.Parse(s)
	if !ok || err != nil {
		return uuid.Nil, &domain.Error{Kind: domain.KindForbidden, Message: caller.Actor.Subject + " is not an agent"}
	}
	return id, nil
}

// Agent folds an agent from its stream; one without a join token is KindNotFound.
func (q *Queries) Agent(ctx context.Context, id uuid.UUID) (*domain.Agent, error) {
	a, err := q.core.loadAgent(ctx, id)
	if err == nil && !a.Exists() {
		err = &domain.Error{Kind: domain.KindNotFound, Message: "agent " + id.String() + " does not exist"}
	}
	return a, err
}
