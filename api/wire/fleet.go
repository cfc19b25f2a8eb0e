package wire

import (
	"time"

	"github.com/certledger/certledger/domain"
)

// JoinTokenRequest is the body of POST /agents/join-tokens.
type JoinTokenRequest struct {
	// AgentID is the new agent's id; empty lets the server choose one.
	AgentID string `json:"agent_id,omitempty"`
	Name    string `json:"name,omitempty"`
	Team    string `json:"team"`
	// CAID is the agent CA that signs the agent's client certificate.
	CAID string `json:"ca_id"`
	// TTL is a Go duration such as "30m"; empty is one hour.
	TTL string `json:"ttl,omitempty"`
}

// JoinToken is a freshly minted join token, shown this once.
type JoinToken struct {
	AgentID   string    `json:"agent_id"`
	Token     string    `json:"token"`
	Team      string    `json:"team"`
	ExpiresAt time.Time `json:"expires_at"`
}

// EnrollRequest is the body of POST /agents/enroll: the join token and the CSR of a key the agent
// generated on its host.
type EnrollRequest struct {
	JoinToken string `json:"join_token"`
	CSR       string `json:"csr"`
	Host      string `json:"host"`
	Version   string `json:"version"`
}

// Enrollment is an enrolled agent's identity: its client certificate and the chain above it.
type Enrollment struct {
	AgentID     string `json:"agent_id"`
	Team        string `json:"team"`
	Certificate string `json:"certificate"` // PEM
	Chain       string `json:"chain"`       // PEM, the CAs above the certificate up to the root
}

// Agent is an agent as the fleet read model has it.
type Agent struct {
	ID            string     `json:"id"`
	Name          string     `json:"name"`
	Team          string     `json:"team"`
	Status        string     `json:"status"` // pending, enrolled or revoked
	IssuedBy      string     `json:"issued_by"`
	IssuedAt      time.Time  `json:"issued_at"`
	JoinExpiresAt time.Time  `json:"join_expires_at"`
	CertificateID string     `json:"certificate_id,omitempty"`
	Host          string     `json:"host,omitempty"`
	Version       string     `json:"version,omitempty"`
	State         string     `json:"state,omitempty"`
	EnrolledAt    *time.Time `json:"enrolled_at,omitempty"`
	LastSeen      *time.Time `json:"last_seen,omitempty"`
	RevokedAt     *time.Time `json:"revoked_at,omitempty"`
}

// AgentList is the answer of GET /agents.
type AgentList struct {
	Items []Agent `json:"items"`
}

// Heartbeat is the body of POST /agent/heartbeat: what the calling agent reports of itself.
type Heartbeat struct {
	Host    string `json:"host"`
	Version string `json:"version"`
	State   string `json:"state"`
}

// DeploymentTarget is where an agent installs a certificate (domain.DeploymentTarget).
type DeploymentTarget = domain.DeploymentTarget

// DeploymentRequest is the body of POST /deployments.
type DeploymentRequest struct {
	Target       DeploymentTarget `json:"target"`
	CAID         string           `json:"ca_id"`
	Profile      string           `json:"profile"`
	Team         string           `json:"team,omitempty"`
	DNSNames     []string         `json:"dns_names"`
	ValidityDays int              `json:"validity_days,omitempty"`
}

// Deployment is a deployment as the fleet read model has it.
type Deployment struct {
	ID                string           `json:"id"`
	AgentID           string           `json:"agent_id"`
	Team              string           `json:"team"`
	Status            string           `json:"status"` // requested, issued, succeeded or failed
	Target            DeploymentTarget `json:"target"`
	DNSNames          []string         `json:"dns_names"`
	CAID              string           `json:"ca_id"`
	Profile           string           `json:"profile"`
	RedeployOf        string           `json:"redeploy_of,omitempty"`
	RequestedBy       string           `json:"requested_by"`
	RequestedAt       time.Time        `json:"requested_at"`
	CertificateID     string           `json:"certificate_id,omitempty"`
	Fingerprint       string           `json:"fingerprint,omitempty"`
	ServedFingerprint string           `json:"served_fingerprint,omitempty"`
	Reason            string           `json:"reason,omitempty"`
	RolledBack        bool             `json:"rolled_back"`
	EndedAt           *time.Time       `json:"ended_at,omitempty"`
	Position          int64            `json:"position"`
}

// DeploymentList is the answer of GET /deployments.
type DeploymentList struct {
	Items []Deployment `json:"items"`
}

// TaskList is the answer of GET /agent/tasks: the calling agent's open deployments, and the
// position to wait after in the next poll.
type TaskList struct {
	Position int64        `json:"position"`
	Items    []Deployment `json:"items"`
}

// DeploymentCSR is the body of POST /agent/deployments/{id}/csr.
type DeploymentCSR struct {
	CSR string `json:"csr"`
}

// DeploymentChain is the certificate issued for a deployment and the chain above it, PEM.
type DeploymentChain struct {
	Certificate string `json:"certificate"`
	Chain       string `json:"chain"`
}

// DeploymentReport is the body of POST /agent/deployments/{id}/report.
type DeploymentReport struct {
	Succeeded         bool   `json:"succeeded"`
	Fingerprint       string `json:"fingerprint,omitempty"`
	ServedFingerprint string `json:"served_fingerprint,omitempty"`
	Reason            string `json:"reason,omitempty"`
	RolledBack        bool   `json:"rolled_back,omitempty"`
}

// DeploymentCreated is the answer of POST /deployments and POST /deployments/{id}/redeploy.
type DeploymentCreated struct {
	ID string `json:"id"`
}
