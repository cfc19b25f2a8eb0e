package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// RevokeAgent takes an agent's trust away: AgentRevoked, then its client certificate revoked.
type RevokeAgent struct {
	CommandID uuid.UUID
	AgentID   uuid.UUID
	Reason    string
}

// RevokeAgentHandler revokes agents.
type RevokeAgentHandler struct {
	core   *Core
	revoke *RevokeHandler
}

// NewRevokeAgentHandler is the agent revocation handler; revoke revokes its certificate.
func NewRevokeAgentHandler(core *Core, revoke *RevokeHandler) *RevokeAgentHandler {
	return &RevokeAgentHandler{core: core, revoke: revoke}
}

// Handle records AgentRevoked and, for an enrolled agent, revokes its client certificate
// (cessationOfOperation) through the certificate revocation, so the TLS listener refuses it.
func (h *RevokeAgentHandler) Handle(ctx context.Context, cmd RevokeAgent, caller Caller) (Result, error) {
	var certID string
	res, err := h.core.decide(ctx, cmd.CommandID, events.StreamName(events.CategoryAgent, cmd.AgentID), caller,
		func(past []domain.Event, at time.Time) ([]domain.Event, error) {
			a, err := domain.NewAgentFromHistory(past)
			if err != nil {
				return nil, err
			}
			certID = a.CertificateID()
			return a.Revoke(caller.Actor, at, cmd.Reason)
		})
	if err != nil || certID == "" {
		return res, err
	}
	id, err := uuid.Parse(certID)
	if err != nil {
		return res, fmt.Errorf("revoke agent %s: certificate id: %w", cmd.AgentID, err)
	}
	_, err = h.revoke.Handle(ctx, Decision{CommandID: uuid.NewSHA1(cmd.CommandID, []byte("certificate")), CertificateID: id,
		Reason: "cessationOfOperation"}, caller.unconditional())
	if err != nil && !domain.IsKind(err, domain.KindConflict) {
		return res, fmt.Errorf("revoke agent %s: its certificate %s: %w", cmd.AgentID, id, err)
	}
	return res, nil
}
