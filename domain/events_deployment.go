package domain

import "time"

// The deployment event types, as stored with every event and hashed into its stream's chain: a
// name never changes.
const (
	TypeDeploymentRequested = "DeploymentRequested"
	TypeDeploymentIssued    = "DeploymentIssued"
	TypeDeploymentSucceeded = "DeploymentSucceeded"
	TypeDeploymentFailed    = "DeploymentFailed"
)

// deploymentEvents are the events of a deployment's stream.
var deploymentEvents = []EventSpec{specOf[DeploymentRequested](), specOf[DeploymentIssued](),
	specOf[DeploymentSucceeded](), specOf[DeploymentFailed]()}

// DeploymentRequested opens a deployment: a certificate for DNSNames, issued by CAID under
// Profile for Team, to be installed by an agent at its Target. The agent makes the key.
type DeploymentRequested struct {
	DeploymentID string           `json:"deployment_id"`
	Target       DeploymentTarget `json:"target"`
	CAID         string           `json:"ca_id"`
	Profile      string           `json:"profile"`
	Team         string           `json:"team"`
	DNSNames     []string         `json:"dns_names"`
	ValidityDays int              `json:"validity_days"`
	// RedeployOf is the deployment this one deploys again (a renewal), "" for a first one.
	RedeployOf  string    `json:"redeploy_of,omitempty"`
	RequestedBy string    `json:"requested_by"`
	RequestedAt time.Time `json:"requested_at"`
	Override    bool      `json:"override"`
}

// EventType returns TypeDeploymentRequested.
func (DeploymentRequested) EventType() string { return TypeDeploymentRequested }

// Aggregate returns the deployment.
func (e DeploymentRequested) Aggregate() AggregateRef {
	return AggregateRef{Category: CategoryDeployment, ID: e.DeploymentID}
}

// DeploymentIssued records the certificate issued for the CSR the agent sent.
type DeploymentIssued struct {
	DeploymentID  string    `json:"deployment_id"`
	CertificateID string    `json:"certificate_id"`
	Fingerprint   string    `json:"fingerprint"`
	IssuedAt      time.Time `json:"issued_at"`
}

// EventType returns TypeDeploymentIssued.
func (DeploymentIssued) EventType() string { return TypeDeploymentIssued }

// Aggregate returns the deployment.
func (e DeploymentIssued) Aggregate() AggregateRef {
	return AggregateRef{Category: CategoryDeployment, ID: e.DeploymentID}
}

// DeploymentSucceeded records that the agent installed the certificate, ran the hook and
// verified it: read back from disk and, with a verify endpoint, served (ServedFingerprint).
type DeploymentSucceeded struct {
	DeploymentID      string    `json:"deployment_id"`
	Fingerprint       string    `json:"fingerprint"`
	ServedFingerprint string    `json:"served_fingerprint,omitempty"`
	SucceededAt       time.Time `json:"succeeded_at"`
}

// EventType returns TypeDeploymentSucceeded.
func (DeploymentSucceeded) EventType() string { return TypeDeploymentSucceeded }

// Aggregate returns the deployment.
func (e DeploymentSucceeded) Aggregate() AggregateRef {
	return AggregateRef{Category: CategoryDeployment, ID: e.DeploymentID}
}

// DeploymentFailed records that the deployment ended without the certificate in place: the
// agent refused it or rolled its files back (RolledBack), and why.
type DeploymentFailed struct {
	DeploymentID string    `json:"deployment_id"`
	Reason       string    `json:"reason"`
	RolledBack   bool      `json:"rolled_back"`
	FailedAt     time.Time `json:"failed_at"`
}

// EventType returns TypeDeploymentFailed.
func (DeploymentFailed) EventType() string { return TypeDeploymentFailed }

// Aggregate returns the deployment.
func (e DeploymentFailed) Aggregate() AggregateRef {
	return AggregateRef{Category: CategoryDeployment, ID: e.DeploymentID}
}
