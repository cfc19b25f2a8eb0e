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

// DefineProfileHandler defines and updates profiles. It signs nothing.
type DefineProfileHandler struct{ core *Core }

// NewDefineProfileHandler is the profile handler.
func NewDefineProfileHandler(core *Core) *DefineProfileHandler { return &DefineProfileHandler{core} }

// Handle records a profile definition or update.
func (h *DefineProfileHandler) Handle(ctx context.Context, cmd DefineProfile, caller Caller) (Result, error) {
	id := ProfileID(cmd.Spec.Name)
	stream := events.StreamName(events.CategoryProfile, id)
	return h.core.decide(ctx, cmd.CommandID, stream, caller, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
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
