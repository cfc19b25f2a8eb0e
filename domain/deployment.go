package domain

import (
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// SystemSubject is the subject of the ledger's own housekeeping actor (commands.System), such
// as a renewal scheduler deploying a renewed certificate again.
const SystemSubject = "certledger/system"

// DeploymentStatus is where a deployment stands.
type DeploymentStatus string

// The statuses of a deployment: requested → issued → succeeded, or failed from either.
const (
	DeploymentPending   DeploymentStatus = "requested"
	DeploymentCertified DeploymentStatus = "issued"
	DeploymentDone      DeploymentStatus = "succeeded"
	DeploymentAborted   DeploymentStatus = "failed"
)

// maxDeploymentNames bounds a deployment's DNS names.
const maxDeploymentNames = 100

// DeploymentInput is what DeployCertificate asks for.
type DeploymentInput struct {
	DeploymentID string
	Target       DeploymentTarget
	CA           *CA
	Profile      *Profile
	Team         string
	DNSNames     []string
	ValidityDays int // 0 is the profile's maximum
	RedeployOf   string
}

// Deployment is a deployment folded from its stream.
//
// Invariants: the stream holds one DeploymentRequested, at most one DeploymentIssued, and then
// exactly one of DeploymentSucceeded or DeploymentFailed at most: a deployment ends once, and
// nothing follows its end. A success names the fingerprint of the issued certificate.
type Deployment struct {
	req     DeploymentRequested
	issued  *DeploymentIssued
	status  DeploymentStatus
	reason  string
	version int
}

// NewDeploymentFromHistory folds a deployment stream's events.
func NewDeploymentFromHistory(history []Event) (*Deployment, error) {
	d := &Deployment{}
	for _, e := range history {
		if err := d.Apply(e); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Apply changes the deployment by one of its events, in the order the invariants allow.
func (d *Deployment) Apply(e Event) error {
	ok := false
	switch e := e.(type) {
	case DeploymentRequested:
		ok, d.req, d.status = !d.Exists(), e, DeploymentPending
	case DeploymentIssued:
		ok = d.status == DeploymentPending && e.DeploymentID == d.ID()
		d.issued, d.status = &e, DeploymentCertified
	case DeploymentSucceeded:
		ok = d.status == DeploymentCertified && e.DeploymentID == d.ID()
		d.status = DeploymentDone
	case DeploymentFailed:
		ok = d.open() && e.DeploymentID == d.ID()
		d.status, d.reason = DeploymentAborted, e.Reason
	}
	if !ok {
		return fmt.Errorf("apply %s to deployment %q: out of order or for another deployment", e.EventType(), d.ID())
	}
	d.version++
	return nil
}

// Request decides a new deployment by SEC_OPS or DEVOPS of the team (in the team's or a shared
// profile), to an enrolled agent of the same team. Every problem with the input is listed.
func (d *Deployment) Request(in DeploymentInput, agent *Agent, by Actor, at time.Time) ([]Event, error) {
	if d.Exists() {
		return nil, conflictf("deployment %s already exists", d.ID())
	}
	if in.Profile == nil || in.CA == nil {
		return nil, invalidf("a deployment needs a CA and a profile")
	}
	override, err := authorizeRequest(by, in.Profile, in.Team)
	if by.Subject == SystemSubject && in.RedeployOf != "" {
		override, err = false, nil // the ledger deploys a renewal again to the same target
	}
	if err != nil {
		return nil, err
	}
	if agent == nil || agent.Status() != AgentEnrolledStatus || agent.ID() != in.Target.AgentID {
		return nil, conflictf("agent %s is not an enrolled agent", in.Target.AgentID)
	}
	if agent.Team() != in.Team {
		return nil, forbiddenf("agent %s acts for team %q, not %q", agent.ID(), agent.Team(), in.Team)
	}
	days := in.ValidityDays
	if days == 0 {
		days = in.Profile.MaxValidityDays()
	}
	if err := checkDeploymentInput(in, days); err != nil {
		return nil, err
	}
	return []Event{DeploymentRequested{DeploymentID: in.DeploymentID, Target: in.Target, CAID: in.CA.ID(),
		Profile: in.Profile.Name(), Team: in.Team, DNSNames: slices.Clone(in.DNSNames), ValidityDays: days,
		RedeployOf: in.RedeployOf, RequestedBy: by.Subject, RequestedAt: at.UTC(), Override: override}}, nil
}

// Issue records the certificate issued for the agent's CSR; only a requested deployment takes one.
func (d *Deployment) Issue(certificateID, fingerprint string, at time.Time) ([]Event, error) {
	if d.status != DeploymentPending {
		return nil, conflictf("deployment %s is %s: it takes no certificate", d.ID(), d.status)
	}
	return []Event{DeploymentIssued{DeploymentID: d.ID(), CertificateID: certificateID, Fingerprint: fingerprint, IssuedAt: at.UTC()}}, nil
}

// Succeed records the verified installation. The fingerprints read back and served must be the
// issued certificate's; a deployment that ended is KindConflict.
func (d *Deployment) Succeed(fingerprint, served string, at time.Time) ([]Event, error) {
	if d.status != DeploymentCertified {
		return nil, conflictf("deployment %s is %s: it cannot succeed now", d.ID(), d.status)
	}
	if fingerprint != d.issued.Fingerprint || (d.req.Target.VerifyEndpoint != "" && served != d.issued.Fingerprint) {
		return nil, invalidf("deployment %s: the certificate read back (%s) or served (%q) is not the one issued (%s)",
			d.ID(), fingerprint, served, d.issued.Fingerprint)
	}
	return []Event{DeploymentSucceeded{DeploymentID: d.ID(), Fingerprint: fingerprint, ServedFingerprint: served, SucceededAt: at.UTC()}}, nil
}

// Fail records that the deployment ended without the certificate in place; a deployment that
// ended already is KindConflict.
func (d *Deployment) Fail(reason string, rolledBack bool, at time.Time) ([]Event, error) {
	if !d.open() {
		return nil, conflictf("deployment %s is %s already", d.ID(), d.status)
	}
	if reason == "" || utf8.RuneCountInString(reason) > 1000 {
		return nil, invalidf("a failure's reason is 1 to 1000 characters")
	}
	return []Event{DeploymentFailed{DeploymentID: d.ID(), Reason: reason, RolledBack: rolledBack, FailedAt: at.UTC()}}, nil
}

// Again is the input that deploys this deployment's target again as newID, for the same names,
// CA and profile: what a renewal runs (DeployCertificate with RedeployOf set).
func (d *Deployment) Again(newID string, ca *CA, profile *Profile) DeploymentInput {
	return DeploymentInput{DeploymentID: newID, Target: d.req.Target, CA: ca, Profile: profile, Team: d.req.Team,
		DNSNames: slices.Clone(d.req.DNSNames), RedeployOf: d.ID()}
}

func (d *Deployment) open() bool {
	return d.status == DeploymentPending || d.status == DeploymentCertified
}

func checkDeploymentInput(in DeploymentInput, days int) error {
	var vs []Violation
	if _, err := uuid.Parse(in.DeploymentID); err != nil {
		vs = append(vs, violation("deployment_id", "uuid", "deployment id %q is not a UUID", in.DeploymentID))
	}
	vs = append(vs, in.Target.check()...)
	if len(in.DNSNames) == 0 || len(in.DNSNames) > maxDeploymentNames {
		vs = append(vs, violation("dns_names", "count", "a deployment names 1 to %d DNS names", maxDeploymentNames))
	}
	for _, n := range in.DNSNames {
		vs = append(vs, in.Profile.checkDNSName(n)...)
	}
	if days < 1 || days > in.Profile.MaxValidityDays() {
		vs = append(vs, violation("validity_days", "range", "validity of %d days is not within the profile's %d", days, in.Profile.MaxValidityDays()))
	}
	return violations(KindInvalid, "invalid deployment", vs)
}
