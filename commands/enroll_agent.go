package commands

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// ErrInvalidJoinToken is wrapped by the refusal of a join token that is not one at all.
var ErrInvalidJoinToken = errors.New("invalid join token")

// EnrollAgent redeems a join token: the agent sends the CSR of a key it generated on its host.
type EnrollAgent struct {
	JoinToken     string
	CSRPEM        []byte
	Host, Version string
}

// EnrolledAgent is an agent's identity: its id and team, and its client certificate chain
// (leaf first, DER).
type EnrolledAgent struct {
	AgentID uuid.UUID
	Team    string
	Chain   [][]byte
	Result  Result
}

// EnrollAgentHandler enrolls agents, issuing their client certificates through
// RequestCertificate, the ledger's one issuing path.
type EnrollAgentHandler struct {
	core    *Core
	request *RequestCertificateHandler
}

// NewEnrollAgentHandler is the enrollment handler; request issues the certificates.
func NewEnrollAgentHandler(core *Core, request *RequestCertificateHandler) *EnrollAgentHandler {
	return &EnrollAgentHandler{core: core, request: request}
}

// AgentCertificateID is the id of an agent's client certificate. It and the request's command
// id derive from the agent, so an agent can be issued one certificate only, whatever happens.
func AgentCertificateID(agent uuid.UUID) uuid.UUID { return uuid.NewSHA1(agent, []byte("certificate")) }

// Handle checks the join token before anything is issued — a replayed, expired, revoked or
// wrong token changes nothing — then requests the agent's certificate as the agent itself
// (domain.RoleAgent, in domain.AgentProfile of the agent CA), and records AgentEnrolled. A
// certificate already issued for another key (a concurrent enrollment won) is KindConflict.
func (h *EnrollAgentHandler) Handle(ctx context.Context, cmd EnrollAgent, caller Caller) (EnrolledAgent, error) {
	id, err := parseSecretToken(JoinTokenPrefix, cmd.JoinToken, ErrInvalidJoinToken)
	if err != nil {
		return EnrolledAgent{}, &domain.Error{Kind: domain.KindForbidden, Message: err.Error()}
	}
	secret := hashSecretToken(cmd.JoinToken)
	agent, err := h.core.loadAgent(ctx, id)
	if err != nil {
		return EnrolledAgent{}, err
	}
	if err := agent.CheckJoin(secret, h.core.now()); err != nil {
		return EnrolledAgent{}, err
	}
	csr, err := domain.ParseCSR(cmd.CSRPEM)
	if err != nil {
		return EnrolledAgent{}, err
	}
	if err := agent.CheckCSR(csr); err != nil {
		return EnrolledAgent{}, err
	}
	profile, err := h.core.loadProfile(ctx, agent.Profile())
	if err != nil {
		return EnrolledAgent{}, fmt.Errorf("enroll agent %s: %w", id, err)
	}
	as := caller.unconditional()
	as.Actor = domain.Actor{Subject: domain.AgentSubjectPrefix + id.String(), Roles: []domain.Role{domain.RoleAgent}, Team: agent.Team()}
	certID := AgentCertificateID(id)
	if _, err := h.request.Handle(ctx, RequestCertificate{CommandID: uuid.NewSHA1(id, []byte("request")), CertificateID: certID,
		CAID: agent.CAID(), Profile: agent.Profile(), CSRPEM: cmd.CSRPEM, Team: agent.Team(), Owner: as.Actor.Subject,
		ValidityDays: profile.MaxValidityDays()}, as); err != nil {
		return EnrolledAgent{}, fmt.Errorf("enroll agent %s: %w", id, err)
	}
	chain, err := h.core.certificateChain(ctx, certID)
	if err != nil {
		return EnrolledAgent{}, fmt.Errorf("enroll agent %s: %w", id, err)
	}
	if err := sameKey(chain[0], csr.PublicKey()); err != nil {
		return EnrolledAgent{}, err
	}
	sum := sha256.Sum256(chain[0])
	res, err := h.core.decide(ctx, uuid.NewSHA1(id, []byte("enroll")), events.StreamName(events.CategoryAgent, id), as,
		func(past []domain.Event, at time.Time) ([]domain.Event, error) {
			a, err := domain.NewAgentFromHistory(past)
			if err != nil {
				return nil, err
			}
			return a.Enroll(domain.Enrollment{SecretSHA256: secret, CertificateID: certID.String(),
				Fingerprint: hex.EncodeToString(sum[:]), Host: cmd.Host, Version: cmd.Version}, at)
		})
	if err != nil {
		return EnrolledAgent{}, err
	}
	if res.Replayed {
		return EnrolledAgent{}, &domain.Error{Kind: domain.KindConflict, Message: "the join token of agent " + id.String() +
			" was used by a concurrent enrollment; a join token works once"}
	}
	return EnrolledAgent{AgentID: id, Team: agent.Team(), Chain: chain, Result: res}, nil
}

// sameKey says whether the certificate der certifies pub.
func sameKey(der []byte, pub crypto.PublicKey) error {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return fmt.Errorf("agent certificate: %w", err)
	}
	if k, ok := cert.PublicKey.(interface{ Equal(crypto.PublicKey) bool }); !ok || !k.Equal(pub) {
		return &domain.Error{Kind: domain.KindConflict,
			Message: "the agent's certificate was already issued for another key; a join token works once"}
	}
	return nil
}
