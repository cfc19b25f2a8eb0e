package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// ReportDeployment is how a deployment ended on the agent's host: succeeded with the
// fingerprints read back and served, or failed (rolled back or refused) with the reason.
type ReportDeployment struct {
	CommandID         uuid.UUID
	DeploymentID      uuid.UUID
	Succeeded         bool
	Fingerprint       string
	ServedFingerprint string
	Reason            string
	RolledBack        bool
}

// ReportDeploymentHandler records the ends of deployments, from their agents only.
type ReportDeploymentHandler struct{ core *Core }

// NewReportDeploymentHandler is the handler.
func NewReportDeploymentHandler(core *Core) *ReportDeploymentHandler {
	return &ReportDeploymentHandler{core}
}

// Handle records DeploymentSucceeded or DeploymentFailed. A deployment that ended already is
// KindConflict, so a report sent twice (the agent restarted) records one end.
func (h *ReportDeploymentHandler) Handle(ctx context.Context, cmd ReportDeployment, caller Caller) (Result, error) {
	if _, err := loadAgentsDeployment(ctx, h.core, cmd.DeploymentID, caller); err != nil {
		return Result{}, err
	}
	return h.core.decide(ctx, cmd.CommandID, events.StreamName(events.CategoryDeployment, cmd.DeploymentID), caller,
		func(past []domain.Event, at time.Time) ([]domain.Event, error) {
			d, err := domain.NewDeploymentFromHistory(past)
			if err != nil {
				return nil, err
			}
			if cmd.Succeeded {
				return d.Succeed(cmd.Fingerprint, cmd.ServedFingerprint, at)
			}
			return d.Fail(cmd.Reason, cmd.RolledBack, at)
		})
}

// Deployment folds a deployment from its stream; one never requested is KindNotFound.
func (q *Queries) Deployment(ctx context.Context, id uuid.UUID) (*domain.Deployment, error) {
	return q.core.loadDeployment(ctx, id)
}
