package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/projections/pki"
)

// expiryInterval is how often ledgerd looks for certificates past their end date.
const expiryInterval = time.Minute

// expireCertificates marks certificates expired as they pass their end date, until ctx ends.
// The read model finds them; the command records it, once per certificate.
func expireCertificates(ctx context.Context, q *pki.Queries, expire func(context.Context, uuid.UUID) error, logger *slog.Logger) {
	for {
		ids, err := q.ExpiredBefore(ctx, time.Now(), 500)
		if err != nil && ctx.Err() == nil {
			logger.Warn("expiry: finding expired certificates failed; retrying", "error", err)
		}
		for _, id := range ids {
			if err := expire(ctx, id); err != nil && ctx.Err() == nil {
				logger.Warn("expiry: recording an expiry failed", "certificate", id, "error", err)
			}
		}
		if len(ids) > 0 {
			logger.Info("certificates expired", "count", len(ids))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(expiryInterval):
		}
	}
}
