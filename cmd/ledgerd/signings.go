package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections/pki"
)

// signingSweepInterval is how often ledgerd looks for signing intents an outage left open.
const signingSweepInterval = time.Minute

// voidStaleSignings voids, until ctx ends, the signing intents that stayed open longer than
// domain.SigningGrace — signatures the HSM made whose recording and void both failed — so that
// their serials reach the CRL even when no command touches their stream again. The read model
// finds the streams; the command decides on each stream as it is and voids only what is stale.
func voidStaleSignings(ctx context.Context, q *pki.Queries, void func(context.Context, string) error, logger *slog.Logger) {
	sweep[string]{
		interval: signingSweepInterval,
		find: func(ctx context.Context) ([]string, error) {
			return q.StaleSignings(ctx, time.Now().Add(-domain.SigningGrace), 500)
		},
		act:  void,
		done: "voided signatures an outage left unrecorded; their serials are on the CRL (streams)",
	}.run(ctx, logger)
}
