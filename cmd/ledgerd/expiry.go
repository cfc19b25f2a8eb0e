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
	sweep[uuid.UUID]{
		interval: expiryInterval,
		find:     func(ctx context.Context) ([]uuid.UUID, error) { return q.ExpiredBefore(ctx, time.Now(), 500) },
		act:      expire,
		done:     "certificates expired",
	}.run(ctx, logger)
}
