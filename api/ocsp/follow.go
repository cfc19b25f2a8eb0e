package ocsp

import (
	"context"
	"log/slog"
	"math/big"
	"time"
)

// IssuerSource lists the CAs the responder should answer for, with their current delegated
// responder certificates and signers; the CA read model and the HSM provide it.
type IssuerSource interface {
	Issuers(ctx context.Context) ([]Issuer, error)
}

// Revocation is a revocation the read model has projected.
type Revocation struct {
	IssuerID string
	Serial   *big.Int
	Position int64
}

// RevocationFeed yields revocations in projection order after a position.
type RevocationFeed interface {
	RevokedSince(ctx context.Context, after int64, limit int) ([]Revocation, error)
}

// Follow keeps the responder current until ctx ends: every interval it (re)loads the issuers
// — new CAs, renewed responder certificates — and drops the cached answers of every certificate
// revoked since the last look, so a revocation is answered as revoked within about one interval
// of being projected.
func Follow(ctx context.Context, r *Responder, issuers IssuerSource, feed RevocationFeed, interval time.Duration, log *slog.Logger) {
	var after int64
	first := true
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		if err := syncIssuers(ctx, r, issuers); err != nil {
			log.Warn("OCSP: loading issuers failed; retrying", "error", err)
		}
		for {
			revoked, err := feed.RevokedSince(ctx, after, 1000)
			if err != nil {
				log.Warn("OCSP: reading revocations failed; retrying", "error", err)
				break
			}
			for _, rv := range revoked {
				if !first {
					r.Invalidate(rv.IssuerID, rv.Serial)
				}
				after = rv.Position
			}
			if len(revoked) < 1000 {
				break
			}
		}
		first = false // at start the cache is empty: earlier revocations need no invalidation
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

func syncIssuers(ctx context.Context, r *Responder, src IssuerSource) error {
	list, err := src.Issuers(ctx)
	if err != nil {
		return err
	}
	for _, iss := range list {
		if r.serves(iss) {
			continue
		}
		if err := r.AddIssuer(iss); err != nil {
			return err
		}
	}
	return nil
}
