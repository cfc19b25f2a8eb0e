package main

import (
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/adapters/postgres/acmenonces"
	"github.com/certledger/certledger/api/acme"
	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
	"github.com/certledger/certledger/commands"
)

// serveACME registers the ACME provisioners of cfg on e, their nonces in the read side's
// Postgres (so every node sees them); it does nothing without provisioners.
func serveACME(cfg config.Config, e *echo.Echo, app *commands.Application, reads *readSide, logger *slog.Logger) error {
	provisioners, err := cfg.Provisioners()
	if err != nil || len(provisioners) == 0 {
		return err
	}
	acme.Register(e, acme.Deps{Provisioners: provisioners, Nonces: acmenonces.New(reads.pool, 0),
		Ledger:    acme.Ledger{Commands: app.ACME, Queries: app.Queries},
		Validator: &acme.HTTP01{Port: cfg.HTTP01Port(), Timeout: 10 * time.Second, Attempts: 3, Backoff: 2 * time.Second},
		Logger:    logger.With("component", "acme")})
	for _, p := range provisioners {
		logger.Info("ACME provisioner", "directory", cfg.PublicBase()+"/acme/"+p.Name+"/directory", "ca", p.CAID,
			"profile", p.Profile, "team", p.Team)
	}
	return nil
}
