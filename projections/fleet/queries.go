package fleet

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections"
)

// ErrNotFound is returned (wrapped) for an agent or deployment the read model does not have.
var ErrNotFound = errors.New("not found in the fleet read model")

// Queries reads the fleet read model. It is safe for concurrent use.
type Queries struct{ pool *pgxpool.Pool }

// NewQueries returns the queries of the read model in the database of pool.
func NewQueries(pool *pgxpool.Pool) *Queries { return &Queries{pool: pool} }

// AgentRow is an agent as the read model has it.
type AgentRow struct {
	ID            uuid.UUID          `json:"id"`
	Name          string             `json:"name"`
	Team          string             `json:"team"`
	Status        domain.AgentStatus `json:"status"`
	IssuedBy      string             `json:"issued_by"`
	IssuedAt      time.Time          `json:"issued_at"`
	JoinExpiresAt time.Time          `json:"join_expires_at"`
	CertificateID *uuid.UUID         `json:"certificate_id,omitempty"`
	Fingerprint   string             `json:"fingerprint,omitempty"`
	Host          string             `json:"host,omitempty"`
	Version       string             `json:"version,omitempty"`
	State         string             `json:"state,omitempty"`
	EnrolledAt    *time.Time         `json:"enrolled_at,omitempty"`
	LastSeen      *time.Time         `json:"last_seen,omitempty"`
	RevokedAt     *time.Time         `json:"revoked_at,omitempty"`
	Position      int64              `json:"position"`
}

const agentSelect = `SELECT id, name, team, status, issued_by, issued_at, join_expires_at, certificate_id, fingerprint,
	host, version, state, enrolled_at, last_seen, revoked_at, position FROM rm_fleet.agents`

// ListAgents returns the agents of team, or every agent when team is empty, newest first.
func (q *Queries) ListAgents(ctx context.Context, team string) ([]AgentRow, error) {
	if team != "" {
		return projections.QueryAll(ctx, q.pool, "agents", scanAgent, agentSelect+" WHERE team = $1 ORDER BY issued_at DESC, id DESC", team)
	}
	return projections.QueryAll(ctx, q.pool, "agents", scanAgent, agentSelect+" ORDER BY issued_at DESC, id DESC")
}

// AgentByCertificate returns the agent whose client certificate is certificateID; ErrNotFound
// when the certificate is no agent's.
func (q *Queries) AgentByCertificate(ctx context.Context, certificateID uuid.UUID) (AgentRow, error) {
	return projections.QueryOne(ctx, q.pool, "agent of certificate "+certificateID.String(), ErrNotFound, scanAgent,
		agentSelect+" WHERE certificate_id = $1", certificateID)
}

func scanAgent(row pgx.CollectableRow) (AgentRow, error) {
	var a AgentRow
	err := row.Scan((*[16]byte)(&a.ID), &a.Name, &a.Team, &a.Status, &a.IssuedBy, &a.IssuedAt, &a.JoinExpiresAt, &a.CertificateID,
		&a.Fingerprint, &a.Host, &a.Version, &a.State, &a.EnrolledAt, &a.LastSeen, &a.RevokedAt, &a.Position)
	a.IssuedAt, a.JoinExpiresAt = a.IssuedAt.UTC(), a.JoinExpiresAt.UTC()
	a.EnrolledAt, a.LastSeen, a.RevokedAt = utc(a.EnrolledAt), utc(a.LastSeen), utc(a.RevokedAt)
	return a, err
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// DeploymentRow is a deployment as the read model has it.
type DeploymentRow struct {
	ID                uuid.UUID               `json:"id"`
	AgentID           uuid.UUID               `json:"agent_id"`
	Team              string                  `json:"team"`
	Status            domain.DeploymentStatus `json:"status"`
	Target            domain.DeploymentTarget `json:"target"`
	DNSNames          []string                `json:"dns_names"`
	CAID              string                  `json:"ca_id"`
	Profile           string                  `json:"profile"`
	RedeployOf        string                  `json:"redeploy_of,omitempty"`
	RequestedBy       string                  `json:"requested_by"`
	RequestedAt       time.Time               `json:"requested_at"`
	CertificateID     *uuid.UUID              `json:"certificate_id,omitempty"`
	Fingerprint       string                  `json:"fingerprint,omitempty"`
	ServedFingerprint string                  `json:"served_fingerprint,omitempty"`
	Reason            string                  `json:"reason,omitempty"`
	RolledBack        bool                    `json:"rolled_back"`
	EndedAt           *time.Time              `json:"ended_at,omitempty"`
	Position          int64                   `json:"position"`
}

const deploymentSelect = `SELECT id, agent_id, team, status, target, dns_names, ca_id, profile, redeploy_of, requested_by,
	requested_at, certificate_id, fingerprint, served_fingerprint, reason, rolled_back, ended_at, position FROM rm_fleet.deployments`

// ListDeployments returns the deployments of team, or all when team is empty, newest first, at
// most limit.
func (q *Queries) ListDeployments(ctx context.Context, team string, limit int) ([]DeploymentRow, error) {
	if team != "" {
		return projections.QueryAll(ctx, q.pool, "deployments", scanDeployment,
			deploymentSelect+" WHERE team = $1 ORDER BY requested_at DESC, id DESC LIMIT $2", team, limit)
	}
	return projections.QueryAll(ctx, q.pool, "deployments", scanDeployment,
		deploymentSelect+" ORDER BY requested_at DESC, id DESC LIMIT $1", limit)
}

// AgentTasks returns the open deployments (requested or issued) of an agent, oldest first, and
// the highest position of any of its deployments' rows (0 when it has none): the position a
// poll waits to see pass.
func (q *Queries) AgentTasks(ctx context.Context, agent uuid.UUID) ([]DeploymentRow, int64, error) {
	var top int64
	if err := q.pool.QueryRow(ctx, "SELECT coalesce(max(position), 0) FROM rm_fleet.deployments WHERE agent_id = $1", agent).Scan(&top); err != nil {
		return nil, 0, projections.NotReady(err)
	}
	rows, err := projections.QueryAll(ctx, q.pool, "tasks", scanDeployment,
		deploymentSelect+" WHERE agent_id = $1 AND status IN ('requested', 'issued') ORDER BY position", agent)
	return rows, top, err
}

// ChangedAgents returns the agents whose deployments' rows changed after position after, with
// the highest position of each, and the highest position overall (after when nothing changed).
func (q *Queries) ChangedAgents(ctx context.Context, after int64) (map[uuid.UUID]int64, int64, error) {
	rows, err := q.pool.Query(ctx, "SELECT agent_id, max(position) FROM rm_fleet.deployments WHERE position > $1 GROUP BY agent_id", after)
	if err != nil {
		return nil, after, projections.NotReady(err)
	}
	defer rows.Close()
	out, top := map[uuid.UUID]int64{}, after
	for rows.Next() {
		var id uuid.UUID
		var pos int64
		if err := rows.Scan((*[16]byte)(&id), &pos); err != nil {
			return nil, after, err
		}
		out[id], top = pos, max(top, pos)
	}
	return out, top, rows.Err()
}

func scanDeployment(row pgx.CollectableRow) (DeploymentRow, error) {
	var d DeploymentRow
	var target []byte
	err := row.Scan((*[16]byte)(&d.ID), (*[16]byte)(&d.AgentID), &d.Team, &d.Status, &target, &d.DNSNames, &d.CAID, &d.Profile,
		&d.RedeployOf, &d.RequestedBy, &d.RequestedAt, &d.CertificateID, &d.Fingerprint, &d.ServedFingerprint, &d.Reason,
		&d.RolledBack, &d.EndedAt, &d.Position)
	if err == nil {
		err = json.Unmarshal(target, &d.Target)
	}
	d.RequestedAt, d.EndedAt = d.RequestedAt.UTC(), utc(d.EndedAt)
	return d, err
}
