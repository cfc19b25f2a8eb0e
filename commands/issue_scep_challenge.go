package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// SCEPChallengePrefix starts every SCEP challenge password, a secret token
// (newSecretToken): "scep_", the challenge's id in hex, "_" and 32 random bytes; only its
// SHA-256 is stored.
const SCEPChallengePrefix = "scep_"

// scepNamespace derives the ids of SCEP enrollments.
var scepNamespace = uuid.MustParse("0b7c5a52-93a4-4f44-9a61-3c0e7e7f8e21")

// IssueSCEPChallenge mints a one-time challenge password for a SCEP provisioner and a team.
type IssueSCEPChallenge struct {
	CommandID         uuid.UUID
	Provisioner, Team string
	TTL               time.Duration
}

// IssuedSCEPChallenge is a fresh challenge password, shown this once.
type IssuedSCEPChallenge struct {
	Password    string
	ChallengeID uuid.UUID
	ExpiresAt   time.Time
	Result      Result
}

// IssueSCEPChallengeHandler mints SCEP challenge passwords.
type IssueSCEPChallengeHandler struct{ core *Core }

// NewIssueSCEPChallengeHandler is the challenge minting handler.
func NewIssueSCEPChallengeHandler(core *Core) *IssueSCEPChallengeHandler {
	return &IssueSCEPChallengeHandler{core}
}

// Handle mints a password and records its hash. A retried command (same CommandID) mints
// nothing and fails with KindConflict: the first password is stored nowhere.
func (h *IssueSCEPChallengeHandler) Handle(ctx context.Context, cmd IssueSCEPChallenge, caller Caller) (IssuedSCEPChallenge, error) {
	id := uuid.NewSHA1(cmd.CommandID, []byte("scepchallenge"))
	password, err := newSecretToken(SCEPChallengePrefix, id)
	if err != nil {
		return IssuedSCEPChallenge{}, err
	}
	var issued domain.SCEPChallengeIssued
	res, err := h.core.decide(ctx, cmd.CommandID, events.StreamName(events.CategorySCEPChallenge, id), caller,
		func(past []domain.Event, at time.Time) ([]domain.Event, error) {
			decided, err := domain.IssueSCEPChallenge(id.String(), cmd.Provisioner, cmd.Team, hashSecretToken(password), cmd.TTL, caller.Actor, at)
			if err != nil {
				return nil, err
			}
			issued = decided[0].(domain.SCEPChallengeIssued)
			return decided, nil
		})
	switch {
	case err != nil:
		return IssuedSCEPChallenge{Result: res}, err
	case res.Replayed:
		return IssuedSCEPChallenge{Result: res}, &domain.Error{Kind: domain.KindConflict,
			Message: "this challenge was already minted by the same request; its password was shown once — mint a new one"}
	}
	return IssuedSCEPChallenge{Password: password, ChallengeID: id, ExpiresAt: issued.ExpiresAt, Result: res}, nil
}
