package commands

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// EnrollSCEP requests a certificate for a SCEP PKCSReq (RFC 8894 §3.3.1): the CSR and its
// challenge password, under a provisioner's CA and profile, for the challenge's team.
type EnrollSCEP struct {
	Provisioner   string
	CAID, Profile string
	TransactionID string
	CSRPEM        []byte
	Challenge     string
}

// EnrollSCEPHandler uses challenges and requests certificates through the ledger's one
// certificate request, so a SCEP certificate is requested, approved and issued under the same
// profile, policy, approvals and signing rule as one asked for over REST.
type EnrollSCEPHandler struct {
	core    *Core
	request *RequestCertificateHandler
}

// NewEnrollSCEPHandler is the SCEP enrollment handler; request issues the certificates.
func NewEnrollSCEPHandler(core *Core, request *RequestCertificateHandler) *EnrollSCEPHandler {
	return &EnrollSCEPHandler{core: core, request: request}
}

// errNoChallenge is wrapped by the refusal of a challenge password that is no ledger challenge.
var errNoChallenge = errors.New("the request carries no challenge password the ledger issued")

// SCEPCertificateID is the id of the certificate a provisioner's transaction enrolls: a client
// repeating a request, or polling it (GetCertInitial), finds the same one.
func SCEPCertificateID(provisioner, transactionID string) uuid.UUID {
	return uuid.NewSHA1(scepNamespace, []byte("certificate\x00"+provisioner+"\x00"+transactionID))
}

// Handle uses the challenge for this transaction's certificate (once: another transaction is
// refused it), then requests the certificate as the challenge's team, for as long as the
// profile allows. A request the profile refuses still used the challenge. The actor is the
// challenge, "scep:<provisioner>:<challenge id>", DEVOPS of its team: caller gives the
// request's address and user agent only.
func (h *EnrollSCEPHandler) Handle(ctx context.Context, cmd EnrollSCEP, caller Caller) (uuid.UUID, error) {
	id, err := parseSecretToken(SCEPChallengePrefix, cmd.Challenge, errNoChallenge)
	if err != nil {
		return uuid.Nil, &domain.Error{Kind: domain.KindForbidden, Message: err.Error()}
	}
	certID := SCEPCertificateID(cmd.Provisioner, cmd.TransactionID)
	caller.Actor = domain.Actor{Subject: "scep:" + cmd.Provisioner + ":" + id.String()} // the challenge acts
	var team string
	_, err = h.core.decide(ctx, uuid.NewSHA1(certID, []byte("use challenge")), events.StreamName(events.CategorySCEPChallenge, id), caller,
		func(past []domain.Event, at time.Time) ([]domain.Event, error) {
			c, err := domain.NewSCEPChallengeFromHistory(past)
			if err != nil {
				return nil, err
			}
			used, err := c.Use(hashSecretToken(cmd.Challenge), cmd.Provisioner, certID.String(), at)
			if err == nil {
				team = c.Team()
			}
			return used, err
		})
	if err != nil {
		return uuid.Nil, err
	}
	profile, err := h.core.loadProfile(ctx, cmd.Profile)
	if err != nil {
		return uuid.Nil, err
	}
	caller.Actor.Roles, caller.Actor.Team = []domain.Role{domain.RoleDevOps}, team
	_, err = h.request.Handle(ctx, RequestCertificate{CommandID: uuid.NewSHA1(certID, []byte("request")), CertificateID: certID,
		CAID: cmd.CAID, Profile: cmd.Profile, CSRPEM: cmd.CSRPEM, Team: team, Owner: caller.Actor.Subject,
		ValidityDays: profile.MaxValidityDays()}, caller)
	if err != nil {
		return uuid.Nil, fmt.Errorf("SCEP enrollment %s: %w", cmd.TransactionID, err)
	}
	return certID, nil
}
