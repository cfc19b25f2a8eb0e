package main

import (
	"log/slog"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/api/scep"
	"github.com/certledger/certledger/cmd/ledgerd/internal/config"
	"github.com/certledger/certledger/commands"
)

// serveSCEP registers the SCEP provisioners of cfg on e; it does nothing without provisioners.
// The RA keys are in h; renewals are authenticated against the read side's inventory.
func serveSCEP(cfg config.Config, e *echo.Echo, app *commands.Application, h *hsm.HSM, reads *readSide, logger *slog.Logger) error {
	provisioners, err := cfg.SCEPProvisionerList()
	if err != nil || len(provisioners) == 0 {
		return err
	}
	scep.Register(e, scep.Deps{Provisioners: provisioners, Issued: issuedLookup{reads.queries}, Logger: logger.With("component", "scep"),
		Ledger: scep.Ledger{RA: app.CertifySCEPRA, Enroll: app.EnrollSCEP, Renew: app.RenewCertificate, Queries: app.Queries,
			Keys: hsm.KeyStore{HSM: h}}})
	for _, p := range provisioners {
		logger.Info("SCEP provisioner", "url", cfg.PublicBase()+"/scep/"+p.Name, "ca", p.CAID, "profile", p.Profile)
	}
	return nil
}
