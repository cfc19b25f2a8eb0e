package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/certledger/certledger/api/wire"
)

// IssueJoinToken mints a one-time join token for a new agent; its secret is in this answer only.
func (c *Client) IssueJoinToken(ctx context.Context, req wire.JoinTokenRequest, opts ...RequestOption) (wire.JoinToken, error) {
	var out wire.JoinToken
	return out, c.call(ctx, http.MethodPost, "/agents/join-tokens", nil, req, &out, opts)
}

// Enroll redeems a join token with the CSR of a key made on the host; it needs no bearer token.
func (c *Client) Enroll(ctx context.Context, req wire.EnrollRequest, opts ...RequestOption) (wire.Enrollment, error) {
	var out wire.Enrollment
	return out, c.call(ctx, http.MethodPost, "/agents/enroll", nil, req, &out, opts)
}

// ListAgents lists the agents the caller may see, newest first.
func (c *Client) ListAgents(ctx context.Context, opts ...RequestOption) ([]wire.Agent, error) {
	var out wire.AgentList
	return out.Items, c.call(ctx, http.MethodGet, "/agents", nil, nil, &out, opts)
}

// RevokeAgent revokes an agent and its client certificate.
func (c *Client) RevokeAgent(ctx context.Context, id, reason string, opts ...RequestOption) error {
	return c.call(ctx, http.MethodPost, "/agents/"+segment(id)+"/revoke", nil, wire.TokenRevocationRequest{Reason: reason}, nil, opts)
}

// Heartbeat reports the calling agent's heartbeat.
func (c *Client) Heartbeat(ctx context.Context, hb wire.Heartbeat, opts ...RequestOption) error {
	return c.call(ctx, http.MethodPost, "/agent/heartbeat", nil, hb, nil, opts)
}

// AgentTasks returns the calling agent's open deployments, waiting up to wait for a change after
// position after. The request's timeout must be longer than wait.
func (c *Client) AgentTasks(ctx context.Context, after int64, wait time.Duration, opts ...RequestOption) (wire.TaskList, error) {
	q := url.Values{"after": {strconv.FormatInt(after, 10)}}
	if wait > 0 {
		q.Set("wait", wait.String())
	}
	var out wire.TaskList
	return out, c.call(ctx, http.MethodGet, "/agent/tasks", q, nil, &out, opts)
}

// DeploymentCSR sends the CSR of a deployment's key and returns the certificate issued for it.
func (c *Client) DeploymentCSR(ctx context.Context, id, csrPEM string, opts ...RequestOption) (wire.DeploymentChain, error) {
	var out wire.DeploymentChain
	return out, c.call(ctx, http.MethodPost, "/agent/deployments/"+segment(id)+"/csr", nil, wire.DeploymentCSR{CSR: csrPEM}, &out, opts)
}

// ReportDeployment reports how a deployment ended on the host.
func (c *Client) ReportDeployment(ctx context.Context, id string, r wire.DeploymentReport, opts ...RequestOption) error {
	return c.call(ctx, http.MethodPost, "/agent/deployments/"+segment(id)+"/report", nil, r, nil, opts)
}

// Deploy asks an agent to deploy a new certificate to a target on its host.
func (c *Client) Deploy(ctx context.Context, req wire.DeploymentRequest, opts ...RequestOption) (wire.DeploymentCreated, error) {
	var out wire.DeploymentCreated
	return out, c.call(ctx, http.MethodPost, "/deployments", nil, req, &out, opts)
}

// ListDeployments lists the deployments the caller may see, newest first, at most limit (0: the
// server's default).
func (c *Client) ListDeployments(ctx context.Context, limit int, opts ...RequestOption) ([]wire.Deployment, error) {
	q := url.Values{}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var out wire.DeploymentList
	return out.Items, c.call(ctx, http.MethodGet, "/deployments", q, nil, &out, opts)
}

// Redeploy deploys a deployment's target again with a new key and certificate.
func (c *Client) Redeploy(ctx context.Context, id string, opts ...RequestOption) (wire.DeploymentCreated, error) {
	var out wire.DeploymentCreated
	return out, c.call(ctx, http.MethodPost, "/deployments/"+segment(id)+"/redeploy", nil, nil, &out, opts)
}
