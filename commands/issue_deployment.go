package commands

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// IssueDeployment is the CSR the deployment's agent made on its host for the deployment.
type IssueDeployment struct {
	DeploymentID uuid.UUID
	CSRPEM       []byte
}

// IssueDeploymentHandler issues deployments' certificates through RequestCertificate.
type IssueDeploymentHandler struct {
	core    *Core
	request *RequestCertificateHandler
}

// NewIssueDeploymentHandler is the handler; request issues the certificates.
func NewIssueDeploymentHandler(core *Core, request *RequestCertificateHandler) *IssueDeploymentHandler {
	return &IssueDeploymentHandler{core: core, request: request}
}

// DeploymentCertificateID is the id of a deployment's certificate. It and the request's
// command id derive from the deployment, so a deployment is issued one certificate at most:
// an agent that asks again after a crash, with the key it kept, gets the same one back.
func DeploymentCertificateID(deployment uuid.UUID) uuid.UUID {
	return uuid.NewSHA1(deployment, []byte("certificate"))
}

// Handle checks that the caller is the deployment's agent and the CSR names exactly the
// deployment's DNS names, requests the certificate as the agent, and records DeploymentIssued.
// It returns the chain, leaf first. A certificate issued before for another key is KindConflict;
// one waiting for approval is KindConflict until SEC_OPS approves it.
func (h *IssueDeploymentHandler) Handle(ctx context.Context, cmd IssueDeployment, caller Caller) ([][]byte, error) {
	d, err := loadAgentsDeployment(ctx, h.core, cmd.DeploymentID, caller)
	if err != nil {
		return nil, err
	}
	req := d.Requested()
	csr, err := domain.ParseCSR(cmd.CSRPEM)
	if err != nil {
		return nil, err
	}
	if csr.SANCount() != len(csr.DNSNames()) || !slices.Equal(slices.Sorted(slices.Values(csr.DNSNames())), slices.Sorted(slices.Values(req.DNSNames))) {
		return nil, &domain.Error{Kind: domain.KindInvalid, Message: fmt.Sprintf("the CSR must name exactly the deployment's DNS names %v", req.DNSNames)}
	}
	if s := d.Status(); s != domain.DeploymentPending && s != domain.DeploymentCertified {
		return nil, &domain.Error{Kind: domain.KindConflict, Message: fmt.Sprintf("deployment %s is %s", cmd.DeploymentID, s)}
	}
	certID := DeploymentCertificateID(cmd.DeploymentID)
	if _, err := h.request.Handle(ctx, RequestCertificate{CommandID: uuid.NewSHA1(cmd.DeploymentID, []byte("request")),
		CertificateID: certID, CAID: req.CAID, Profile: req.Profile, CSRPEM: cmd.CSRPEM, Team: req.Team,
		Owner: caller.Actor.Subject, ValidityDays: req.ValidityDays}, caller.unconditional()); err != nil {
		return nil, fmt.Errorf("deployment %s: %w", cmd.DeploymentID, err)
	}
	chain, err := h.core.certificateChain(ctx, certID)
	if err != nil {
		return nil, fmt.Errorf("deployment %s: %w", cmd.DeploymentID, err)
	}
	if err := sameKey(chain[0], csr.PublicKey()); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(chain[0])
	_, err = h.core.decide(ctx, uuid.NewSHA1(cmd.DeploymentID, []byte("issued")), events.StreamName(events.CategoryDeployment, cmd.DeploymentID),
		caller.unconditional(), func(past []domain.Event, at time.Time) ([]domain.Event, error) {
			d, err := domain.NewDeploymentFromHistory(past)
			if err != nil {
				return nil, err
			}
			return d.Issue(certID.String(), hex.EncodeToString(sum[:]), at)
		})
	if err != nil {
		return nil, fmt.Errorf("deployment %s: %w", cmd.DeploymentID, err)
	}
	return chain, nil
}

// loadAgentsDeployment loads a deployment the calling agent is the target of; another agent's
// deployment is KindForbidden, and so is a caller that is no agent.
func loadAgentsDeployment(ctx context.Context, core *Core, id uuid.UUID, caller Caller) (*domain.Deployment, error) {
	agent, err := callingAgent(caller)
	if err != nil {
		return nil, err
	}
	d, err := core.loadDeployment(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.Target().AgentID != agent.String() {
		return nil, &domain.Error{Kind: domain.KindForbidden, Message: fmt.Sprintf("deployment %s is another agent's task", id)}
	}
	return d, nil
}
