package domain

import "time"

// The agent event types, as stored with every event and hashed into its stream's chain: a name
// never changes.
const (
	TypeAgentJoinTokenIssued = "AgentJoinTokenIssued"
	TypeAgentEnrolled        = "AgentEnrolled"
	TypeAgentHeartbeat       = "AgentHeartbeat"
	TypeAgentRevoked         = "AgentRevoked"
)

// agentEvents are the events of an agent's stream.
var agentEvents = []EventSpec{specOf[AgentJoinTokenIssued](), specOf[AgentEnrolled](),
	specOf[AgentHeartbeat](), specOf[AgentRevoked]()}

// AgentJoinTokenIssued opens an agent's stream: a one-time join token for an agent that has
// not enrolled yet. Only the SHA-256 of the token string is recorded.
type AgentJoinTokenIssued struct {
	AgentID string `json:"agent_id"`
	// Name is a label for people, such as the host's name; the agent's id is what counts.
	Name string `json:"name"`
	// Team is the team the agent acts for.
	Team string `json:"team"`
	// CAID is the agent CA that signs the agent's client certificate; Profile its profile.
	CAID         string    `json:"ca_id"`
	Profile      string    `json:"profile"`
	SecretSHA256 string    `json:"secret_sha256"`
	IssuedBy     string    `json:"issued_by"`
	IssuedAt     time.Time `json:"issued_at"`
	ExpiresAt    time.Time `json:"expires_at"`
	Override     bool      `json:"override"`
}

// EventType returns TypeAgentJoinTokenIssued.
func (AgentJoinTokenIssued) EventType() string { return TypeAgentJoinTokenIssued }

// Aggregate returns the agent.
func (e AgentJoinTokenIssued) Aggregate() AggregateRef {
	return AggregateRef{Category: CategoryAgent, ID: e.AgentID}
}

// AgentEnrolled records that the join token was redeemed: the agent's client certificate was
// issued for the key the agent generated on its host. The token never works again.
type AgentEnrolled struct {
	AgentID       string `json:"agent_id"`
	CertificateID string `json:"certificate_id"`
	// Fingerprint is the SHA-256 of the client certificate's DER, lower-case hex.
	Fingerprint string    `json:"fingerprint"`
	Host        string    `json:"host"`
	Version     string    `json:"version"`
	EnrolledAt  time.Time `json:"enrolled_at"`
}

// EventType returns TypeAgentEnrolled.
func (AgentEnrolled) EventType() string { return TypeAgentEnrolled }

// Aggregate returns the agent.
func (e AgentEnrolled) Aggregate() AggregateRef {
	return AggregateRef{Category: CategoryAgent, ID: e.AgentID}
}

// AgentHeartbeat records what an agent reported of itself. Heartbeats are coalesced: one is
// recorded only when host, version or state changed, or AgentHeartbeatInterval after the last.
type AgentHeartbeat struct {
	AgentID string    `json:"agent_id"`
	Host    string    `json:"host"`
	Version string    `json:"version"`
	State   string    `json:"state"`
	SeenAt  time.Time `json:"seen_at"`
}

// EventType returns TypeAgentHeartbeat.
func (AgentHeartbeat) EventType() string { return TypeAgentHeartbeat }

// Aggregate returns the agent.
func (e AgentHeartbeat) Aggregate() AggregateRef {
	return AggregateRef{Category: CategoryAgent, ID: e.AgentID}
}

// AgentRevoked records that an agent is no longer trusted: its client certificate authenticates
// nobody any more, and an unused join token is void.
type AgentRevoked struct {
	AgentID   string    `json:"agent_id"`
	RevokedBy string    `json:"revoked_by"`
	RevokedAt time.Time `json:"revoked_at"`
	Reason    string    `json:"reason"`
	Override  bool      `json:"override"`
}

// EventType returns TypeAgentRevoked.
func (AgentRevoked) EventType() string { return TypeAgentRevoked }

// Aggregate returns the agent.
func (e AgentRevoked) Aggregate() AggregateRef {
	return AggregateRef{Category: CategoryAgent, ID: e.AgentID}
}
