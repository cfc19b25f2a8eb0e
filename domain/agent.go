package domain

import (
	"crypto/subtle"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Bounds and names of ledger-agents.
const (
	MinJoinTokenTTL     = time.Minute
	MaxJoinTokenTTL     = 24 * time.Hour
	DefaultJoinTokenTTL = time.Hour
	// AgentSubjectPrefix starts the subject of an agent's actor: "agent:<agent id>".
	AgentSubjectPrefix = "agent:"
	// AgentProfile is the profile agents' client certificates are issued under.
	AgentProfile = "ledger-agents"
	// AgentDomain is the domain of the one DNS name in an agent's certificate, AgentDNSName.
	AgentDomain = "agents.certledger.internal"
	// AgentHeartbeatInterval is how often an unchanged agent's heartbeat is recorded.
	AgentHeartbeatInterval = 5 * time.Minute
	maxAgentField          = 200
)

// AgentStatus is where an agent stands.
type AgentStatus string

// The statuses of an agent.
const (
	AgentPending        AgentStatus = "pending" // a join token was issued, not used yet
	AgentEnrolledStatus AgentStatus = "enrolled"
	AgentRevokedStatus  AgentStatus = "revoked"
)

// JoinTokenInput is what SEC_OPS asks for when it mints an agent's join token.
type JoinTokenInput struct {
	AgentID, Name, Team, CAID, Profile string
	TTL                                time.Duration
	SecretSHA256                       string // lower-case hex SHA-256 of the token string
}

// Enrollment is what an agent redeems its join token with, once its certificate is issued.
type Enrollment struct {
	SecretSHA256  string
	CertificateID string
	Fingerprint   string
	Host, Version string
}

// Agent is a ledger-agent folded from its stream. The zero Agent has no join token yet.
//
// Invariants: the stream starts with one AgentJoinTokenIssued, holds at most one AgentEnrolled
// (so a join token works once) and at most one AgentRevoked, after which nothing else. It never
// holds the token's secret, only its SHA-256.
type Agent struct {
	token      AgentJoinTokenIssued
	enrolled   *AgentEnrolled
	heartbeat  *AgentHeartbeat
	revocation *AgentRevoked
	version    int
}

// NewAgentFromHistory folds an agent stream's events into an Agent.
func NewAgentFromHistory(history []Event) (*Agent, error) {
	a := &Agent{}
	for _, e := range history {
		if err := a.Apply(e); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Apply changes the agent by one of its events, in the order the invariants allow.
func (a *Agent) Apply(e Event) error {
	ok := false
	switch e := e.(type) {
	case AgentJoinTokenIssued:
		ok, a.token = !a.Exists(), e
	case AgentEnrolled:
		ok = a.Exists() && e.AgentID == a.ID() && a.enrolled == nil && a.revocation == nil
		a.enrolled = &e
	case AgentHeartbeat:
		ok = a.enrolled != nil && e.AgentID == a.ID() && a.revocation == nil
		a.heartbeat = &e
	case AgentRevoked:
		ok = a.Exists() && e.AgentID == a.ID() && a.revocation == nil
		a.revocation = &e
	}
	if !ok {
		return fmt.Errorf("apply %s to agent %q: out of order or for another agent", e.EventType(), a.ID())
	}
	a.version++
	return nil
}

// IssueJoinToken decides the minting of the agent's one-time join token, by SEC_OPS (ADMIN
// as an Override). Every problem with the input is listed in a KindInvalid error.
func (a *Agent) IssueJoinToken(in JoinTokenInput, by Actor, at time.Time) ([]Event, error) {
	if a.Exists() {
		return nil, conflictf("agent %s already has a join token", a.ID())
	}
	override, err := authorize(by, by.Has(RoleSecOps), "issue an agent join token")
	if err != nil {
		return nil, err
	}
	if err := checkJoinTokenInput(in); err != nil {
		return nil, err
	}
	return []Event{AgentJoinTokenIssued{AgentID: in.AgentID, Name: in.Name, Team: in.Team, CAID: in.CAID,
		Profile: in.Profile, SecretSHA256: in.SecretSHA256, IssuedBy: by.Subject, IssuedAt: at.UTC(),
		ExpiresAt: at.UTC().Add(in.TTL), Override: override}}, nil
}

// CheckJoin says whether a join token whose hash is secretSHA256 may enroll the agent at at:
// it must match, be unused, unexpired and not revoked. A used token is KindConflict; the
// others are KindForbidden and do not say which part was wrong but for expiry and revocation.
func (a *Agent) CheckJoin(secretSHA256 string, at time.Time) error {
	switch {
	case !a.Exists() || subtle.ConstantTimeCompare([]byte(secretSHA256), []byte(a.token.SecretSHA256)) != 1:
		return forbiddenf("the join token is not valid")
	case a.revocation != nil:
		return forbiddenf("agent %s is revoked; its join token is void", a.ID())
	case a.enrolled != nil:
		return conflictf("the join token of agent %s was already used at %s; a join token works once",
			a.ID(), a.enrolled.EnrolledAt.Format(time.RFC3339))
	case !at.Before(a.token.ExpiresAt):
		return forbiddenf("the join token of agent %s expired at %s", a.ID(), a.token.ExpiresAt.Format(time.RFC3339))
	}
	return nil
}

// CheckCSR says whether csr is one the agent's certificate may be issued for: its one
// subject alternative name is AgentDNSName of the agent.
func (a *Agent) CheckCSR(csr *CSR) error {
	want := AgentDNSName(a.ID())
	if csr.SANCount() != 1 || !slices.Equal(csr.DNSNames(), []string{want}) {
		return invalidf("an agent's CSR names exactly one DNS name, %s", want)
	}
	return nil
}

// Enroll decides the agent's enrollment with its issued certificate: the join token is used up.
func (a *Agent) Enroll(in Enrollment, at time.Time) ([]Event, error) {
	if err := a.CheckJoin(in.SecretSHA256, at); err != nil {
		return nil, err
	}
	if err := checkReport(in.Host, in.Version, "-"); err != nil {
		return nil, err
	}
	return []Event{AgentEnrolled{AgentID: a.ID(), CertificateID: in.CertificateID, Fingerprint: in.Fingerprint,
		Host: in.Host, Version: in.Version, EnrolledAt: at.UTC()}}, nil
}

// Heartbeat decides what to record of the agent's report: nothing when host, version and state
// are as last recorded less than AgentHeartbeatInterval ago, else one AgentHeartbeat.
func (a *Agent) Heartbeat(host, version, state string, at time.Time) ([]Event, error) {
	if a.enrolled == nil || a.revocation != nil {
		return nil, forbiddenf("agent %s is %s: it reports no heartbeats", a.ID(), a.Status())
	}
	if err := checkReport(host, version, state); err != nil {
		return nil, err
	}
	if hb := a.heartbeat; hb != nil && hb.Host == host && hb.Version == version && hb.State == state &&
		at.Sub(hb.SeenAt) < AgentHeartbeatInterval {
		return nil, nil
	}
	return []Event{AgentHeartbeat{AgentID: a.ID(), Host: host, Version: version, State: state, SeenAt: at.UTC()}}, nil
}

// Revoke decides the agent's revocation by SEC_OPS (ADMIN as an Override); twice is KindConflict.
func (a *Agent) Revoke(by Actor, at time.Time, reason string) ([]Event, error) {
	if !a.Exists() {
		return nil, notFoundf("cannot revoke: agent does not exist")
	}
	override, err := authorize(by, by.Has(RoleSecOps), "revoke agent "+a.ID())
	if err != nil {
		return nil, err
	}
	if a.revocation != nil {
		return nil, conflictf("agent %s is already revoked", a.ID())
	}
	if utf8.RuneCountInString(reason) > maxAgentField {
		return nil, invalidf("the revocation reason is longer than %d characters", maxAgentField)
	}
	return []Event{AgentRevoked{AgentID: a.ID(), RevokedBy: by.Subject, RevokedAt: at.UTC(), Reason: reason, Override: override}}, nil
}

// AgentDNSName is the one DNS name of an agent's client certificate.
func AgentDNSName(agentID string) string { return agentID + "." + AgentDomain }

// AgentIDOf returns the agent id of an AGENT actor; ok is false for every other actor.
func AgentIDOf(a Actor) (id string, ok bool) {
	id, found := strings.CutPrefix(a.Subject, AgentSubjectPrefix)
	return id, found && a.Has(RoleAgent) && id != ""
}
