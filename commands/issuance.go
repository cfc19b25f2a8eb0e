package commands

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// issuance is a command that may end in the issuance of a certificate: a request issued at
// once, an approval, an explicit issue.
type issuance struct {
	commandID     uuid.UUID
	certificateID uuid.UUID
	caller        Caller
	// decide is the command's own decision before the issuance, such as a request or an approval;
	// the certificate is issued only when it leaves it approved. Without one the certificate must
	// be approved already.
	decide func(cert *domain.Certificate, at time.Time) ([]domain.Event, error)
	// requests is set when decide requests the certificate; otherwise it must exist.
	requests bool
	// profile and ca are loaded from the certificate when nil.
	profile *domain.Profile
	ca      *domain.CA
}

// issueCertificate runs an issuance under the signing rule and says whether it issued. A
// command run again (the same command id) after an earlier run stopped between its intent and
// its record — its node was killed, the store went away — resumes the issuance (resumeIssuance)
// instead of answering as replayed for a certificate that was never issued.
func (h caSigner) issueCertificate(ctx context.Context, in issuance) (Result, bool, error) {
	res, issued, err := h.issueOnce(ctx, in)
	if err != nil || !res.Replayed {
		return res, issued, err
	}
	return h.resumeIssuance(ctx, in, res)
}

// resumeIssuance issues an approved certificate left unissued by an earlier run of the same
// command, as a step of its own whose id is derived from the stream's revision, so that
// retries at one state run one step. While the earlier intent is younger than SigningGrace
// its run may still be signing, and the step is refused as a conflict ("is being signed");
// after it, the step voids that intent and signs anew.
func (h caSigner) resumeIssuance(ctx context.Context, in issuance, replayed Result) (Result, bool, error) {
	cert, err := h.loadCertificate(ctx, in.certificateID)
	if err != nil || cert.Status() != domain.StatusApproved {
		return replayed, false, err
	}
	in.commandID = uuid.NewSHA1(in.commandID, fmt.Appendf(nil, "resume at revision %d", cert.Version()))
	in.decide, in.requests = nil, false
	return h.issueOnce(ctx, in)
}

// issueOnce is one run of an issuance under the signing rule.
func (h caSigner) issueOnce(ctx context.Context, in issuance) (Result, bool, error) {
	ca := in.ca
	return h.sign(ctx, signing{commandID: in.commandID, caller: in.caller,
		stream: events.StreamName(events.CategoryCertificate, in.certificateID),
		prepare: func(past []domain.Event, at time.Time) (domain.Prepared, error) {
			cert, decided, err := decideBeforeIssue(in, past, at)
			if err != nil || (in.decide != nil && cert.Status() != domain.StatusApproved) {
				return domain.Prepared{Events: decided}, err
			}
			profile := in.profile
			if profile, ca, err = h.issuerOf(ctx, cert, profile, in.ca); err != nil {
				return domain.Prepared{}, err
			}
			serial, err := domain.NewSerial(rand.Reader)
			if err != nil {
				return domain.Prepared{}, err
			}
			p, err := cert.PrepareIssue(profile, ca, serial, at)
			p.Events = append(decided, p.Events...)
			return p, err
		},
		record: func(past []domain.Event, der []byte, at time.Time) ([]domain.Event, error) {
			cert, err := domain.NewCertificateFromHistory(past)
			if err != nil {
				return nil, err
			}
			return cert.Issue(der, ca, at)
		},
	})
}

// decideBeforeIssue folds the certificate and applies the command's own decision to it.
func decideBeforeIssue(in issuance, past []domain.Event, at time.Time) (*domain.Certificate, []domain.Event, error) {
	cert, err := domain.NewCertificateFromHistory(past)
	if err != nil {
		return nil, nil, err
	}
	if !in.requests && !cert.Exists() {
		return nil, nil, certificateNotFound(in.certificateID)
	}
	if in.decide == nil {
		return cert, nil, nil
	}
	decided, err := in.decide(cert, at)
	if err != nil {
		return nil, nil, err
	}
	return cert, decided, applyAll(cert, decided)
}

// issuerOf returns the profile and CA of a certificate's issuance, loading those not given.
func (h caSigner) issuerOf(ctx context.Context, cert *domain.Certificate, profile *domain.Profile, ca *domain.CA) (*domain.Profile, *domain.CA, error) {
	var err error
	if profile == nil {
		if profile, err = h.loadProfile(ctx, cert.ProfileName()); err != nil {
			return nil, nil, err
		}
	}
	if ca == nil {
		if ca, err = h.loadCA(ctx, cert.CAID()); err != nil {
			return nil, nil, err
		}
	}
	return profile, ca, nil
}

// applyAll folds freshly decided events into the aggregate, for a decision that follows them.
func applyAll(cert *domain.Certificate, decided []domain.Event) error {
	for _, e := range decided {
		if err := cert.Apply(e); err != nil {
			return err
		}
	}
	return nil
}

// supersede marks the certificate a newly issued one renews as superseded by it, as the step
// of an issuance (approve, issue, renew) after the new certificate is issued. It does nothing
// for a certificate that renews nothing or is not issued yet.
func (c *Core) supersede(ctx context.Context, commandID, newID uuid.UUID, caller Caller) error {
	renewed, err := c.loadCertificate(ctx, newID)
	if err != nil || renewed.Renews() == "" || renewed.Status() != domain.StatusIssued {
		return err
	}
	oldID, err := uuid.Parse(renewed.Renews())
	if err != nil {
		return err
	}
	step := uuid.NewSHA1(commandID, []byte("supersede"))
	_, err = c.onCertificate(ctx, Decision{CommandID: step, CertificateID: oldID}, caller,
		func(old *domain.Certificate, at time.Time) ([]domain.Event, error) {
			return old.Renew(newID.String(), caller.Actor, at)
		})
	if err != nil {
		return err
	}
	return c.revokeSuperseded(ctx, commandID, oldID, renewed.ProfileName(), caller)
}

// revokeSuperseded revokes a superseded certificate with the reason superseded when its
// profile's renewal policy says so; one already revoked (or expired) is left as it is.
func (c *Core) revokeSuperseded(ctx context.Context, commandID, oldID uuid.UUID, profileName string, caller Caller) error {
	profile, err := c.loadProfile(ctx, profileName)
	if err != nil || !profile.Renewal().RevokeSuperseded {
		return err
	}
	step := uuid.NewSHA1(commandID, []byte("revoke-superseded"))
	_, err = c.onCertificate(ctx, Decision{CommandID: step, CertificateID: oldID}, caller,
		func(old *domain.Certificate, at time.Time) ([]domain.Event, error) {
			if old.Status() != domain.StatusSuperseded {
				return nil, nil
			}
			return old.Revoke(domain.ReasonSuperseded, nil, caller.Actor, at)
		})
	return err
}
