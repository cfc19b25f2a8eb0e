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

// Issuance is a certificate the read model has projected as issued.
type Issuance struct {
	IssuerID string
	Serial   *big.Int
	Position int64
}

// IssuanceFeed is an optional capability of a RevocationFeed: the certificates issued after a
// position, whose answers Follow signs before anyone asks.
type IssuanceFeed interface {
	IssuedSince(ctx context.Context, after int64, limit int) ([]Issuance, error)
	// LatestPosition is where to start: certificates issued before the responder started are
	// signed when first asked for.
	LatestPosition(ctx context.Context) (int64, error)
}

// Follow keeps the responder current until ctx ends: every interval it (re)loads the issuers
// — new CAs, renewed responder certificates — and signs afresh the answer of every certificate
// revoked since the last look (and, when feed is an IssuanceFeed, of every new certificate), so
// a revocation is answered as revoked within about one interval of being projected.
func Follow(ctx context.Context, r *Responder, issuers IssuerSource, feed RevocationFeed, interval time.Duration, log *slog.Logger) {
	var after, afterIssued int64
	first := true
	issuances, presignIssued := feed.(IssuanceFeed)
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
					presign(ctx, r, rv.IssuerID, rv.Serial, log)
				}
				after = rv.Position
			}
			if len(revoked) < 1000 {
				break
			}
		}
		if presignIssued {
			afterIssued = followIssuances(ctx, r, issuances, afterIssued, first, log)
		}
		r.RefreshStale(ctx, refreshPerPass)
		first = false // at start the cache is empty: earlier revocations need no invalidation
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// refreshPerPass bounds the answers re-signed in one pass, so that refreshing spreads over time.
const refreshPerPass = 500

// followIssuances presigns the answers of certificates issued after a position and returns the
// position reached; the first time it only finds where to start.
func followIssuances(ctx context.Context, r *Responder, feed IssuanceFeed, after int64, first bool, log *slog.Logger) int64 {
	if first {
		pos, err := feed.LatestPosition(ctx)
		if err != nil {
			log.Warn("OCSP: finding the latest issuance failed", "error", err)
		}
		return pos
	}
	issued, err := feed.IssuedSince(ctx, after, 1000)
	if err != nil {
		log.Warn("OCSP: reading issuances failed; retrying", "error", err)
		return after
	}
	for _, it := range issued {
		presign(ctx, r, it.IssuerID, it.Serial, log)
		after = it.Position
	}
	return after
}

// presign signs one answer ahead of requests; a failure only means it is signed when asked.
func presign(ctx context.Context, r *Responder, issuerID string, serial *big.Int, log *slog.Logger) {
	if err := r.Presign(ctx, issuerID, serial); err != nil {
		log.Debug("OCSP: presigning failed; the answer is signed when asked for", "serial", serial.Text(16), "error", err)
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
