package rest

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/projections/fleet"
)

func (h *handlers) deploymentRoutes() []Route {
	return []Route{
		{http.MethodPost, "/deployments", Request, "Deploy a new certificate to a target of an agent", h.deploy},
		{http.MethodGet, "/deployments", Read, "List the deployments, newest first", h.listDeployments},
		{http.MethodPost, "/deployments/:id/redeploy", Request, "Deploy a deployment's target again with a new key and certificate", h.redeploy},
	}
}

// deploy records DeploymentRequested; the team is the caller's when the body names none.
func (h *handlers) deploy(c echo.Context) error {
	var req wire.DeploymentRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	cmd := commands.DeployCertificate{CommandID: commandID(c), Target: req.Target, CAID: req.CAID, Profile: req.Profile,
		Team: req.Team, DNSNames: req.DNSNames, ValidityDays: req.ValidityDays}
	if cmd.Team == "" {
		cmd.Team = actorOf(c).Team
	}
	cmd.DeploymentID = uuid.NewSHA1(cmd.CommandID, []byte("deployment"))
	return h.deployed(c, cmd.DeploymentID, "deploy_certificate", func() (commands.Result, error) {
		return h.Fleet.Deploy.Handle(c.Request().Context(), cmd, caller(c))
	})
}

// redeploy is what a renewal runs: the same target again, as a new deployment.
func (h *handlers) redeploy(c echo.Context) error {
	var req struct{}
	id, by, err := readCommandOn(c, &req)
	if err != nil {
		return err
	}
	cmd := commands.RedeployCertificate{CommandID: commandID(c), DeploymentID: id}
	cmd.NewDeploymentID = uuid.NewSHA1(cmd.CommandID, []byte("deployment"))
	return h.deployed(c, cmd.NewDeploymentID, "redeploy_certificate", func() (commands.Result, error) {
		return h.Fleet.Deploy.Redeploy(c.Request().Context(), cmd, by)
	})
}

// deployed runs a deployment command and answers 201 with the new deployment's id (200 for a
// replay), Location pointing to the list.
func (h *handlers) deployed(c echo.Context, id uuid.UUID, name string, f func() (commands.Result, error)) error {
	res, err := h.run(name, f)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if res.Replayed {
		status = http.StatusOK
	}
	return c.JSON(status, wire.DeploymentCreated{ID: id.String()})
}

func (h *handlers) listDeployments(c echo.Context) error {
	team, all := readScope(actorOf(c))
	if !all && team == "" {
		return forbidden("%s has no team, so no deployments to read", actorOf(c).Subject)
	}
	limit, err := pageLimit(c)
	if err != nil {
		return err
	}
	rows, err := h.Fleet.Read.ListDeployments(c.Request().Context(), team, limit)
	if err != nil {
		return err
	}
	out := wire.DeploymentList{Items: make([]wire.Deployment, len(rows))}
	for i, r := range rows {
		out.Items[i] = deploymentOf(r)
	}
	return c.JSON(http.StatusOK, out)
}

func deploymentOf(r fleet.DeploymentRow) wire.Deployment {
	d := wire.Deployment{ID: r.ID.String(), AgentID: r.AgentID.String(), Team: r.Team, Status: string(r.Status), Target: r.Target,
		DNSNames: nonNil(r.DNSNames), CAID: r.CAID, Profile: r.Profile, RedeployOf: r.RedeployOf, RequestedBy: r.RequestedBy,
		RequestedAt: r.RequestedAt, Fingerprint: r.Fingerprint, ServedFingerprint: r.ServedFingerprint, Reason: r.Reason,
		RolledBack: r.RolledBack, EndedAt: r.EndedAt, Position: r.Position}
	if r.CertificateID != nil {
		d.CertificateID = r.CertificateID.String()
	}
	return d
}
