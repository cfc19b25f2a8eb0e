package main

import (
	"log/slog"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/est"
	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
	"github.com/certledger/certledger/commands"
)

// serveEST registers the EST labels of cfg on e; it does nothing without labels. Enrollment is
// authenticated by authn's tokens, re-enrollment by the TLS listener's client certificates.
func serveEST(cfg config.Config, e *echo.Echo, app *commands.Application, reads *readSide, authn est.Authenticator,
	logger *slog.Logger) error {
	labels, err := cfg.Labels()
	if err != nil || len(labels) == 0 {
		return err
	}
	est.Register(e, est.Deps{Labels: labels, Request: app.RequestCertificate, Renew: app.RenewCertificate,
		Certificates: app.Queries, Auth: authn, Issued: issuedLookup{reads.queries}, Logger: logger.With("component", "est")})
	for _, l := range labels {
		path := est.Prefix + "/"
		if l.Name != "" {
			path += l.Name + "/"
		}
		logger.Info("EST label", "base", cfg.PublicBase()+path, "ca", l.CAID, "profile", l.Profile)
	}
	return nil
}
