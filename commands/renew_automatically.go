package commands

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
)

// Renewer is the caller of automatic renewals: SEC_OPS rights, so a renewal is requested for
// any team, and a profile that requires approval still waits for a human (SEC_OPS never
// approves its own request automatically). Its events record it as certledger/renewal.
var Renewer = Caller{Actor: domain.Actor{Subject: "certledger/renewal", Roles: []domain.Role{domain.RoleSecOps}}}

// AgentRenewal is a due renewal handed to the agent that deploys the certificate.
type AgentRenewal struct {
	CertificateID uuid.UUID
	// SuccessorID is the id the renewed certificate is to have (SuccessorID), so that retries
	// land on one stream.
	SuccessorID uuid.UUID
	// Attempt counts from 1; it is one more than the failures recorded so far.
	Attempt     int
	ProfileName string
	Team        string
	NotAfter    time.Time
}

// AgentRenewer is the hook for certificates whose profile's renewal mode is
// domain.RenewalAgent: the agent that deploys the certificate re-keys on its host, asks for
// the renewal with a fresh CSR (RenewCertificate with NewCertificateID = SuccessorID),
// redeploys and verifies. RenewThroughAgent starts that (a DeploymentRequested with a re-key,
// say) and returns; it must be idempotent per (CertificateID, Attempt). An error is recorded
// as a RenewalFailed and retried after the backoff.
type AgentRenewer interface {
	RenewThroughAgent(ctx context.Context, r AgentRenewal) error
}

// AutoRenew acts on a certificate whose renewal is due and whose profile renews it
// automatically. Failures is the number of failed attempts recorded (the read model's count):
// this attempt is Failures+1.
type AutoRenew struct {
	CertificateID uuid.UUID
	Failures      int
}

// AutoRenewHandler renews due certificates by themselves: with the request on record
// (domain.RenewalReuseCSR) or through the AgentRenewer (domain.RenewalAgent).
type AutoRenewHandler struct {
	core   *Core
	renew  *RenewCertificateHandler
	issue  *IssueHandler
	agents AgentRenewer
}

// NewAutoRenewHandler is the automatic renewal handler, renewing through renew and issue.
func NewAutoRenewHandler(core *Core, renew *RenewCertificateHandler, issue *IssueHandler) *AutoRenewHandler {
	return &AutoRenewHandler{core: core, renew: renew, issue: issue}
}

// UseAgentRenewer sets the hook for certificates renewed by their agent; without one, their
// renewals fail (recorded, retried) with a reason that says so.
func (h *AutoRenewHandler) UseAgentRenewer(a AgentRenewer) { h.agents = a }

// SuccessorID is the id of the certificate that automatically renews certificateID.
func SuccessorID(certificateID uuid.UUID) uuid.UUID {
	return uuid.NewSHA1(certificateID, []byte("successor"))
}

// Handle runs one attempt. A certificate no longer issued (renewed, revoked, expired) or
// whose profile renews by hand is left alone. A failed attempt appends a RenewalFailed (once
// per attempt) and returns the failure.
func (h *AutoRenewHandler) Handle(ctx context.Context, cmd AutoRenew) (Result, error) {
	old, err := h.core.loadCertificate(ctx, cmd.CertificateID)
	if err != nil {
		return Result{}, err
	}
	if _, due := old.RenewalDueRecorded(); !due || old.Status() != domain.StatusIssued {
		return Result{}, nil
	}
	attempt := max(cmd.Failures, old.RenewalFailures()) + 1
	profile, err := h.core.loadProfile(ctx, old.ProfileName())
	if err != nil {
		return Result{}, h.fail(ctx, old, attempt, err)
	}
	var res Result
	switch profile.Renewal().Mode {
	case domain.RenewalReuseCSR:
		res, err = h.reuseCSR(ctx, old, attempt)
	case domain.RenewalAgent:
		err = h.throughAgent(ctx, old, profile, attempt)
	default:
		return Result{}, nil
	}
	if err != nil {
		return res, h.fail(ctx, old, attempt, err)
	}
	return res, nil
}

// reuseCSR renews with the request on record, picking up where an earlier attempt stopped:
// the successor requested and issued, issued when approved, the old one superseded.
func (h *AutoRenewHandler) reuseCSR(ctx context.Context, old *domain.Certificate, attempt int) (Result, error) {
	oldID, err := uuid.Parse(old.ID())
	if err != nil {
		return Result{}, err
	}
	successor := SuccessorID(oldID)
	next, err := h.core.loadCertificate(ctx, successor)
	if err != nil && !domain.IsKind(err, domain.KindNotFound) {
		return Result{}, err
	}
	// Each step's command id names the step and the successor's stream as this attempt found
	// it: a step that stopped half-way (an intent voided, say) is not taken for done next time.
	version := 0
	if next != nil {
		version = next.Version()
	}
	step := func(name string) uuid.UUID {
		return uuid.NewSHA1(oldID, fmt.Appendf(nil, "auto-%s-%d-%d", name, attempt, version))
	}
	switch {
	case next == nil || !next.Exists():
		return h.renew.Handle(ctx, RenewCertificate{CommandID: step("renew"), CertificateID: oldID, NewCertificateID: successor,
			CSRPEM: []byte(old.CSRPEM())}, Renewer)
	case next.Status() == domain.StatusApproved:
		return h.issue.Handle(ctx, Decision{CommandID: step("issue"), CertificateID: successor}, Renewer)
	case next.Status() == domain.StatusPendingApproval:
		return Result{}, nil // the profile requires an approval: a human decides
	case next.Status() == domain.StatusIssued:
		return Result{}, h.core.supersede(ctx, uuid.NewSHA1(oldID, []byte("auto-supersede")), successor, Renewer)
	}
	return Result{}, fmt.Errorf("the renewing certificate %s is %s", successor, next.Status())
}

// throughAgent hands the renewal to the agent renewer.
func (h *AutoRenewHandler) throughAgent(ctx context.Context, old *domain.Certificate, p *domain.Profile, attempt int) error {
	if h.agents == nil {
		return errors.New("the profile renews through the deploying agent, and no agent renewer is configured")
	}
	oldID, err := uuid.Parse(old.ID())
	if err != nil {
		return err
	}
	return h.agents.RenewThroughAgent(ctx, AgentRenewal{CertificateID: oldID, SuccessorID: SuccessorID(oldID),
		Attempt: attempt, ProfileName: p.Name(), Team: old.Team(), NotAfter: old.NotAfter()})
}

// fail records the attempt's failure and returns it; when even the record fails, both.
func (h *AutoRenewHandler) fail(ctx context.Context, old *domain.Certificate, attempt int, cause error) error {
	if ctx.Err() != nil {
		return cause // shutting down: not a failure of the renewal
	}
	oldID, err := uuid.Parse(old.ID())
	if err != nil {
		return errors.Join(cause, err)
	}
	step := uuid.NewSHA1(oldID, fmt.Appendf(nil, "renewal-failed-%d", attempt))
	_, err = h.core.onCertificate(ctx, Decision{CommandID: step, CertificateID: oldID}, System,
		func(cert *domain.Certificate, at time.Time) ([]domain.Event, error) {
			if cert.Status() != domain.StatusIssued {
				return nil, nil
			}
			return cert.FailRenewal(attempt, cause.Error(), at)
		})
	if err != nil {
		return fmt.Errorf("renewal of %s failed (%w), and recording it failed: %w", oldID, cause, err)
	}
	return fmt.Errorf("automatic renewal of %s, attempt %d: %w", oldID, attempt, cause)
}
