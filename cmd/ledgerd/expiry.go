package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
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

// warnOfExpiry appends an expiry warning for each issued certificate as it crosses 30, 7 and 1
// days before its end (domain.DefaultExpiryWarnings), until ctx ends. The read model lists the
// warnings due; the command records each once per certificate and threshold.
func warnOfExpiry(ctx context.Context, q *pki.Queries, warn func(context.Context, pki.ExpiryWarning) error, logger *slog.Logger) {
	sweep[pki.ExpiryWarning]{
		interval: expiryInterval,
		find: func(ctx context.Context) ([]pki.ExpiryWarning, error) {
			return q.ExpiryWarningsDue(ctx, domain.DefaultExpiryWarnings, time.Now(), 500)
		},
		act:  warn,
		done: "expiry warnings recorded",
	}.run(ctx, logger)
}
