package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// DeployCertificate asks an agent to install a new certificate for DNSNames at a target on its
// host. The agent makes the key there and sends a CSR (IssueDeployment); keys never travel.
type DeployCertificate struct {
	CommandID    uuid.UUID
	DeploymentID uuid.UUID
	Target       domain.DeploymentTarget
	CAID         string
	Profile      string
	Team         string
	DNSNames     []string
	ValidityDays int
}

// RedeployCertificate deploys a deployment's target again as NewDeploymentID — same agent,
// paths, format, hook, endpoint, names, CA and profile — with a new key and certificate. It is
// what a renewal runs; the ledger's own System caller may run it.
type RedeployCertificate struct {
	CommandID       uuid.UUID
	DeploymentID    uuid.UUID
	NewDeploymentID uuid.UUID
}

// DeployCertificateHandler records deployment requests, first ones and redeployments.
type DeployCertificateHandler struct{ core *Core }

// NewDeployCertificateHandler is the deployment request handler.
func NewDeployCertificateHandler(core *Core) *DeployCertificateHandler {
	return &DeployCertificateHandler{core}
}

// Handle records DeploymentRequested after the domain checked the caller, the agent, the target
// and the names against the profile.
func (h *DeployCertificateHandler) Handle(ctx context.Context, cmd DeployCertificate, caller Caller) (Result, error) {
	profile, err := h.core.loadProfile(ctx, cmd.Profile)
	if err != nil {
		return Result{}, err
	}
	ca, err := h.core.loadCA(ctx, cmd.CAID)
	if err != nil {
		return Result{}, err
	}
	return h.request(ctx, cmd.CommandID, domain.DeploymentInput{DeploymentID: cmd.DeploymentID.String(), Target: cmd.Target,
		CA: ca, Profile: profile, Team: cmd.Team, DNSNames: cmd.DNSNames, ValidityDays: cmd.ValidityDays}, caller)
}

// Redeploy records a new DeploymentRequested for the target of an existing deployment.
func (h *DeployCertificateHandler) Redeploy(ctx context.Context, cmd RedeployCertificate, caller Caller) (Result, error) {
	old, err := h.core.loadDeployment(ctx, cmd.DeploymentID)
	if err != nil {
		return Result{}, err
	}
	req := old.Requested()
	profile, err := h.core.loadProfile(ctx, req.Profile)
	if err != nil {
		return Result{}, fmt.Errorf("redeploy %s: %w", cmd.DeploymentID, err)
	}
	ca, err := h.core.loadCA(ctx, req.CAID)
	if err != nil {
		return Result{}, fmt.Errorf("redeploy %s: %w", cmd.DeploymentID, err)
	}
	return h.request(ctx, cmd.CommandID, old.Again(cmd.NewDeploymentID.String(), ca, profile), caller)
}

func (h *DeployCertificateHandler) request(ctx context.Context, commandID uuid.UUID, in domain.DeploymentInput, caller Caller) (Result, error) {
	agentID, err := uuid.Parse(in.Target.AgentID)
	if err != nil {
		return Result{}, &domain.Error{Kind: domain.KindInvalid, Message: fmt.Sprintf("agent id %q is not a UUID", in.Target.AgentID)}
	}
	agent, err := h.core.loadAgent(ctx, agentID)
	if err != nil {
		return Result{}, err
	}
	id, err := uuid.Parse(in.DeploymentID)
	if err != nil || id == uuid.Nil {
		return Result{}, &domain.Error{Kind: domain.KindInvalid, Message: "a deployment needs an id"}
	}
	return h.core.decide(ctx, commandID, events.StreamName(events.CategoryDeployment, id), caller,
		func(past []domain.Event, at time.Time) ([]domain.Event, error) {
			d, err := domain.NewDeploymentFromHistory(past)
			if err != nil {
				return nil, err
			}
			return d.Request(in, agent, caller.Actor, at)
		})
}
