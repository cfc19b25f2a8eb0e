package main

import (
	"fmt"
	"log/slog"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/api/rest"
	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
	"github.com/certledger/certledger/commands"
)

// pkiService wires the PKI: the HSM, the command handlers and their REST routes.
type pkiService struct {
	hsm      *hsm.HSM
	handlers *commands.Handlers
}

// openPKI opens the HSM and registers the /api/v1 routes on e, authenticated by the bootstrap
// token (and, from the API issue on, by the ledger's own tokens).
func openPKI(cfg config.Config, e *echo.Echo, store *eventstore.Store, inv rest.ReadModel, logger *slog.Logger) (*pkiService, error) {
	h, err := openHSM(cfg, logger)
	if err != nil {
		return nil, fmt.Errorf("opening the HSM: %w", err)
	}
	handlers, err := commands.NewHandlers(store, hsm.KeyStore{HSM: h}, commands.URLs{Base: cfg.PublicBase()})
	if err != nil {
		_ = h.Close()
		return nil, err
	}
	tokens, tokenPath, err := bootstrapTokens(cfg.DataDir)
	if err != nil {
		_ = h.Close()
		return nil, err
	}
	rest.Register(e, rest.Deps{Commands: handlers, ReadModel: inv, History: store, Auth: tokens})
	logger.Info("API ready", "bootstrap_admin_token", tokenPath, "public_url", cfg.PublicBase())
	return &pkiService{hsm: h, handlers: handlers}, nil
}

// Close closes the HSM.
func (p *pkiService) Close() error { return p.hsm.Close() }
