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

// AgentProfileSpec is the profile agents' client certificates are issued under: their one DNS
// name under AgentDomain, P-256 or P-384 keys, client authentication, 90 days. It requires
// approval, so that nobody else gets a certificate in it automatically; an agent's own
// enrollment is approved by the join token SEC_OPS minted for it.
func AgentProfileSpec() ProfileSpec {
	return ProfileSpec{Name: AgentProfile, AllowedDomains: []string{AgentDomain},
		KeyTypes: []KeyType{KeyECDSAP256, KeyECDSAP384}, MaxValidityDays: 90, KeyUsages: []string{"digitalSignature"},
		ExtKeyUsages: []string{"clientAuth"}, RequiresApproval: true}
}
