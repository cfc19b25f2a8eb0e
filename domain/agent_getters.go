package domain

import "time"

// Exists reports whether the agent has a join token.
func (a *Agent) Exists() bool { return a.token.AgentID != "" }

// ID returns the agent's id.
func (a *Agent) ID() string { return a.token.AgentID }

// Team returns the team the agent acts for.
func (a *Agent) Team() string { return a.token.Team }

// Name returns the agent's label.
func (a *Agent) Name() string { return a.token.Name }

// CAID returns the agent CA that signs its client certificate.
func (a *Agent) CAID() string { return a.token.CAID }

// Profile returns the profile of its client certificate.
func (a *Agent) Profile() string { return a.token.Profile }

// JoinTokenExpiresAt returns when the join token stops working.
func (a *Agent) JoinTokenExpiresAt() time.Time { return a.token.ExpiresAt }

// CertificateID returns the id of the agent's client certificate, "" before enrollment.
func (a *Agent) CertificateID() string {
	if a.enrolled == nil {
		return ""
	}
	return a.enrolled.CertificateID
}

// Status returns whether the agent is pending, enrolled or revoked.
func (a *Agent) Status() AgentStatus {
	switch {
	case a.revocation != nil:
		return AgentRevokedStatus
	case a.enrolled != nil:
		return AgentEnrolledStatus
	}
	return AgentPending
}

// Version returns the number of events applied.
func (a *Agent) Version() int { return a.version }
