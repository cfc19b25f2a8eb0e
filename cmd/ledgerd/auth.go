package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/certledger/certledger/api/auth"
	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// oidcRetry spaces attempts to reach an OIDC issuer that was down.
const oidcRetry = 30 * time.Second

// newAuthenticator authenticates bearer tokens by their shape (auth.Chain): the ledger's API
// tokens ("clt_…") against their event streams, so a revocation counts from the next request;
// JWTs against the configured OIDC issuer; anything else against the bootstrap ADMIN token.
func newAuthenticator(ctx context.Context, cfg config.Config, queries *commands.Queries, logger *slog.Logger) (auth.Chain, string, error) {
	static, tokenPath, err := bootstrapTokens(cfg.DataDir)
	if err != nil {
		return auth.Chain{}, "", err
	}
	chain := auth.Chain{Static: static, APITokens: auth.AuthenticatorFunc(queries.AuthenticateAPIToken)}
	if cfg.OIDCIssuer != "" {
		o := &lazyOIDC{cfg: auth.OIDCConfig{Issuer: cfg.OIDCIssuer, Audience: cfg.OIDCAudience, JWKSURL: cfg.OIDCJWKSURL,
			ClockSkew: cfg.ClockSkew(), RolesClaim: cfg.OIDCRolesClaim, TeamClaim: cfg.OIDCTeamClaim}, logger: logger}
		o.connect(ctx)
		chain.OIDC = o
	}
	return chain, tokenPath, nil
}

// lazyOIDC is the OIDC verifier, connected at start-up or, when the issuer was down then, on
// a later request (at most every oidcRetry): an identity provider's outage must not keep the
// ledger — its OCSP and CRLs above all — from starting. Until connected, JWTs are refused.
type lazyOIDC struct {
	cfg    auth.OIDCConfig
	logger *slog.Logger
	mu     sync.Mutex
	oidc   *auth.OIDC
	tried  time.Time
}

// connect tries to reach the issuer once.
func (l *lazyOIDC) connect(ctx context.Context) *auth.OIDC {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.oidc != nil || time.Since(l.tried) < oidcRetry {
		return l.oidc
	}
	l.tried = time.Now()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	o, err := auth.NewOIDC(ctx, l.cfg)
	if err != nil {
		l.logger.Error("OIDC issuer unreachable; JWTs are refused until it answers", "issuer", l.cfg.Issuer, "error", err)
		return nil
	}
	l.logger.Info("OIDC issuer connected", "issuer", l.cfg.Issuer, "audience", l.cfg.Audience)
	l.oidc = o
	return o
}

func (l *lazyOIDC) Authenticate(ctx context.Context, token string) (domain.Actor, error) {
	o := l.connect(ctx)
	if o == nil {
		return domain.Actor{}, fmt.Errorf("%w: the OIDC issuer %s has not answered yet", auth.ErrInvalidToken, l.cfg.Issuer)
	}
	return o.Authenticate(ctx, token)
}
