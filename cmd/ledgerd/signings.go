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
	for {
		streams, err := q.StaleSignings(ctx, time.Now().Add(-domain.SigningGrace), 500)
		if err != nil && ctx.Err() == nil {
			logger.Warn("signing sweep: finding open signing intents failed; retrying", "error", err)
		}
		for _, stream := range streams {
			if err := void(ctx, stream); err != nil && ctx.Err() == nil {
				logger.Warn("signing sweep: voiding a stale signing intent failed", "stream", stream, "error", err)
			}
		}
		if len(streams) > 0 {
			logger.Warn("signing sweep: voided signatures an outage left unrecorded; their serials are on the CRL", "streams", len(streams))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(signingSweepInterval):
		}
	}
}
