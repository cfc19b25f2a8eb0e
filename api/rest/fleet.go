package rest

import (
	"context"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections/fleet"
)

// Fleet is what the agent and deployment routes need: their commands and the fleet read model.
type Fleet struct {
	IssueJoinToken interface {
		Handle(ctx context.Context, cmd commands.IssueJoinToken, caller commands.Caller) (commands.IssuedJoinToken, error)
	}
	Enroll interface {
		Handle(ctx context.Context, cmd commands.EnrollAgent, caller commands.Caller) (commands.EnrolledAgent, error)
	}
	Heartbeat   Handler[commands.AgentHeartbeat]
	RevokeAgent Handler[commands.RevokeAgent]
	Deploy      interface {
		Handle(ctx context.Context, cmd commands.DeployCertificate, caller commands.Caller) (commands.Result, error)
		Redeploy(ctx context.Context, cmd commands.RedeployCertificate, caller commands.Caller) (commands.Result, error)
	}
	IssueDeployment interface {
		Handle(ctx context.Context, cmd commands.IssueDeployment, caller commands.Caller) ([][]byte, error)
	}
	Report Handler[commands.ReportDeployment]
	Read   FleetReadModel
	// tasks wakes agents' polls; FleetOf makes it.
	tasks *taskWaiter
}

// FleetReadModel is what the routes read of the fleet read model (*fleet.Queries).
type FleetReadModel interface {
	ListAgents(ctx context.Context, team string) ([]fleet.AgentRow, error)
	ListDeployments(ctx context.Context, team string, limit int) ([]fleet.DeploymentRow, error)
	AgentTasks(ctx context.Context, agent uuid.UUID) ([]fleet.DeploymentRow, int64, error)
	ChangedAgents(ctx context.Context, after int64) (map[uuid.UUID]int64, int64, error)
}

// FleetOf joins the agent and deployment commands of an Application with the fleet read model.
func FleetOf(app *commands.Application, q FleetReadModel) Fleet {
	return Fleet{IssueJoinToken: app.IssueJoinToken, Enroll: app.EnrollAgent, Heartbeat: app.AgentHeartbeat,
		RevokeAgent: app.RevokeAgent, Deploy: app.DeployCertificate, IssueDeployment: app.IssueDeployment,
		Report: app.ReportDeployment, Read: q, tasks: newTaskWaiter(q, taskPollInterval)}
}

func (h *handlers) agentRoutes() []Route {
	return []Route{
		{http.MethodPost, "/agents/join-tokens", Administer, "Mint a one-time join token for a new agent", h.issueJoinToken},
		{http.MethodPost, "/agents/enroll", Public, "Enroll an agent with its join token and a CSR; answers its client certificate", h.enrollAgent},
		{http.MethodGet, "/agents", Read, "List the agents with their last heartbeat", h.listAgents},
		{http.MethodPost, "/agents/:id/revoke", Administer, "Revoke an agent and its client certificate", h.revokeAgent},
		{http.MethodPost, "/agent/heartbeat", AgentSelf, "Report the calling agent's heartbeat", h.heartbeat},
		{http.MethodGet, "/agent/tasks", AgentSelf, "The calling agent's open deployments; waits for a change after a position", h.agentTasks},
		{http.MethodPost, "/agent/deployments/:id/csr", AgentSelf, "Send the CSR of a deployment's key; answers its certificate", h.deploymentCSR},
		{http.MethodPost, "/agent/deployments/:id/report", AgentSelf, "Report how a deployment ended on the host", h.reportDeployment},
	}
}

func (h *handlers) issueJoinToken(c echo.Context) error {
	var req wire.JoinTokenRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	cmd := commands.IssueJoinToken{CommandID: commandID(c), Name: req.Name, Team: req.Team, CAID: req.CAID}
	cmd.AgentID = uuid.NewSHA1(cmd.CommandID, []byte("agent"))
	if req.AgentID != "" {
		id, err := uuid.Parse(req.AgentID)
		if err != nil {
			return badRequest("agent_id is not a UUID")
		}
		cmd.AgentID = id
	}
	if req.TTL != "" {
		ttl, err := time.ParseDuration(req.TTL)
		if err != nil {
			return badRequest("ttl is not a duration such as \"30m\"")
		}
		cmd.TTL = ttl
	}
	var issued commands.IssuedJoinToken
	var err error
	if _, err := h.run("issue_join_token", func() (commands.Result, error) {
		issued, err = h.Fleet.IssueJoinToken.Handle(c.Request().Context(), cmd, caller(c))
		return issued.Result, err
	}); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusCreated, wire.JoinToken{AgentID: issued.AgentID.String(), Token: issued.Token, Team: req.Team, ExpiresAt: issued.ExpiresAt})
}

// enrollAgent is public: the join token in the body is the credential, checked by the command.
func (h *handlers) enrollAgent(c echo.Context) error {
	var req wire.EnrollRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	var got commands.EnrolledAgent
	var err error
	if _, err := h.run("enroll_agent", func() (commands.Result, error) {
		got, err = h.Fleet.Enroll.Handle(c.Request().Context(), commands.EnrollAgent{JoinToken: req.JoinToken,
			CSRPEM: []byte(req.CSR), Host: req.Host, Version: req.Version}, caller(c))
		return got.Result, err
	}); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, wire.Enrollment{AgentID: got.AgentID.String(), Team: got.Team,
		Certificate: string(pemOf(got.Chain[0])), Chain: string(pemOf(got.Chain[1:]...))})
}

func (h *handlers) listAgents(c echo.Context) error {
	team, all := readScope(actorOf(c))
	if !all && team == "" {
		return forbidden("%s has no team, so no agents to read", actorOf(c).Subject)
	}
	rows, err := h.Fleet.Read.ListAgents(c.Request().Context(), team)
	if err != nil {
		return err
	}
	out := wire.AgentList{Items: make([]wire.Agent, len(rows))}
	for i, r := range rows {
		out.Items[i] = wire.Agent{ID: r.ID.String(), Name: r.Name, Team: r.Team, Status: string(r.Status), IssuedBy: r.IssuedBy,
			IssuedAt: r.IssuedAt, JoinExpiresAt: r.JoinExpiresAt, Host: r.Host, Version: r.Version, State: r.State,
			EnrolledAt: r.EnrolledAt, LastSeen: r.LastSeen, RevokedAt: r.RevokedAt}
		if r.CertificateID != nil {
			out.Items[i].CertificateID = r.CertificateID.String()
		}
	}
	return c.JSON(http.StatusOK, out)
}

func (h *handlers) revokeAgent(c echo.Context) error {
	var req wire.TokenRevocationRequest
	id, by, err := readCommandOn(c, &req)
	if err != nil {
		return err
	}
	if _, err := h.run("revoke_agent", func() (commands.Result, error) {
		return h.Fleet.RevokeAgent.Handle(c.Request().Context(), commands.RevokeAgent{CommandID: commandID(c), AgentID: id, Reason: req.Reason}, by)
	}); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *handlers) heartbeat(c echo.Context) error {
	var req wire.Heartbeat
	if err := bind(c, &req); err != nil {
		return err
	}
	if _, err := h.run("agent_heartbeat", func() (commands.Result, error) {
		return h.Fleet.Heartbeat.Handle(c.Request().Context(), commands.AgentHeartbeat{CommandID: uuid.New(), Host: req.Host,
			Version: req.Version, State: req.State}, caller(c))
	}); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// callingAgent is the id of the AGENT actor of the request.
func callingAgent(c echo.Context) (uuid.UUID, error) {
	s, ok := domain.AgentIDOf(actorOf(c))
	id, err := uuid.Parse(s)
	if !ok || err != nil {
		return uuid.Nil, forbidden("%s is not an agent", actorOf(c).Subject)
	}
	return id, nil
}
