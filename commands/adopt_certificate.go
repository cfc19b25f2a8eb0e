package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// AdoptCertificate takes a discovered certificate, named by its SHA-256 fingerprint, under
// management: a team owns it, with an owner, under a profile.
type AdoptCertificate struct {
	CommandID   uuid.UUID
	Fingerprint string
	Team, Owner string
	Profile     string
}

// AdoptCertificateHandler records adoptions on the discovered certificates' streams. It signs
// nothing.
type AdoptCertificateHandler struct{ core *Core }

// NewAdoptCertificateHandler is the adoption handler.
func NewAdoptCertificateHandler(core *Core) *AdoptCertificateHandler {
	return &AdoptCertificateHandler{core}
}

// Handle appends a CertificateAdopted to the certificate's discovered stream.
func (h *AdoptCertificateHandler) Handle(ctx context.Context, cmd AdoptCertificate, caller Caller) (Result, error) {
	if !domain.IsFingerprint(cmd.Fingerprint) {
		return Result{}, &domain.Error{Kind: domain.KindInvalid,
			Message: "a fingerprint is the certificate's SHA-256 in 64 lower-case hexadecimal digits"}
	}
	profile, err := h.core.loadProfile(ctx, cmd.Profile)
	if err != nil {
		return Result{}, err
	}
	stream := events.StreamName(events.CategoryDiscovered, domain.DiscoveredIDOf(cmd.Fingerprint))
	return h.core.decide(ctx, cmd.CommandID, stream, caller, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		d, err := domain.NewDiscoveredCertificateFromHistory(past)
		if err != nil {
			return nil, err
		}
		return d.Adopt(domain.AdoptInput{Team: cmd.Team, Owner: cmd.Owner, Profile: profile}, caller.Actor, at)
	})
}
