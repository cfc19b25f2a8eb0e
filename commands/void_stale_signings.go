package commands

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
)

// errNothingStale stops a sweep of a stream whose intents are all recorded or still young.
var errNothingStale = errors.New("no stale signing intent")

// VoidStaleSignings voids the signing intents on a certificate's or CA's stream that stayed
// open longer than domain.SigningGrace: signatures interrupted before the ledger recorded them,
// which then appear on the CA's CRL. It is housekeeping, run as System by ledgerd's sweep of
// the streams the read model lists (pki.Queries.StaleSignings).
type VoidStaleSignings struct {
	Stream string
}

// VoidStaleSigningsHandler voids stale signing intents. It signs nothing.
type VoidStaleSigningsHandler struct{ core *Core }

// NewVoidStaleSigningsHandler is the sweep's handler.
func NewVoidStaleSigningsHandler(core *Core) *VoidStaleSigningsHandler {
	return &VoidStaleSigningsHandler{core}
}

// Handle voids a stream's stale intents, as System. It appends nothing when there are none,
// and since it decides on the stream as reloaded after a conflict it never voids a recorded
// signature.
func (h *VoidStaleSigningsHandler) Handle(ctx context.Context, cmd VoidStaleSignings) (Result, error) {
	res, err := h.core.decide(ctx, uuid.New(), cmd.Stream, System, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		voids := domain.StaleSignings(past, at)
		if len(voids) == 0 {
			return nil, errNothingStale
		}
		return voids, nil
	})
	if errors.Is(err, errNothingStale) {
		return res, nil
	}
	return res, err
}
