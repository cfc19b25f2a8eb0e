package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// profileNamespace makes a profile's id from its name, so that names are unique: a second
// definition under the same name lands on the same stream and is refused there.
var profileNamespace = uuid.MustParse("6f1d2c3e-8a8b-4d7e-9f10-3c2b1a0e9d8c")

// ProfileID is the id of the profile with the given name.
func ProfileID(name string) uuid.UUID { return uuid.NewSHA1(profileNamespace, []byte(name)) }

// DefineProfile creates a profile, or replaces an existing one's spec when Update is set.
type DefineProfile struct {
	CommandID uuid.UUID
	Spec      domain.ProfileSpec
	Update    bool
}

// DefineProfile records a profile definition or update.
func (h *Handlers) DefineProfile(ctx context.Context, cmd DefineProfile, caller Caller) (Result, error) {
	id := ProfileID(cmd.Spec.Name)
	stream := events.StreamName(events.CategoryProfile, id)
	return h.decide(ctx, cmd.CommandID, stream, caller, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		p, err := domain.NewProfileFromHistory(past)
		if err != nil {
			return nil, err
		}
		if cmd.Update {
			return p.Update(cmd.Spec, caller.Actor, at)
		}
		return p.Define(id.String(), cmd.Spec, caller.Actor, at)
	})
}

// loadProfile folds the profile with the given name; it is KindNotFound when never defined.
func (h *Handlers) loadProfile(ctx context.Context, name string) (*domain.Profile, error) {
	past, err := h.load(ctx, events.StreamName(events.CategoryProfile, ProfileID(name)))
	if err != nil {
		return nil, err
	}
	p, err := domain.NewProfileFromHistory(past)
	if err != nil {
		return nil, err
	}
	if !p.Defined() {
		return nil, &domain.Error{Kind: domain.KindNotFound, Message: "profile " + name + " does not exist"}
	}
	return p, nil
}

// loadCA folds the CA with the given id; it is KindNotFound when it does not exist.
func (h *Handlers) loadCA(ctx context.Context, id string) (*domain.CA, error) {
	caID, err := uuid.Parse(id)
	if err != nil {
		return nil, &domain.Error{Kind: domain.KindInvalid, Message: "CA id " + id + " is not a UUID"}
	}
	past, err := h.load(ctx, events.StreamName(events.CategoryCA, caID))
	if err != nil {
		return nil, err
	}
	ca, err := domain.NewCAFromHistory(past)
	if err != nil {
		return nil, err
	}
	if !ca.Exists() {
		return nil, &domain.Error{Kind: domain.KindNotFound, Message: "CA " + id + " does not exist"}
	}
	return ca, nil
}
