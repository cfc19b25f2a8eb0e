package rest

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/commands"
)

// SCEPChallengeIssuer mints SCEP challenge passwords (*commands.IssueSCEPChallengeHandler).
type SCEPChallengeIssuer interface {
	Handle(ctx context.Context, cmd commands.IssueSCEPChallenge, caller commands.Caller) (commands.IssuedSCEPChallenge, error)
}

// DefaultSCEPChallengeTTL is the lifetime of a challenge whose request names none.
const DefaultSCEPChallengeTTL = 24 * time.Hour

func (h *handlers) scepRoutes() []Route {
	return []Route{
		{http.MethodPost, "/scep/challenges", Administer, "Mint a one-time SCEP challenge password for a provisioner and a team", h.issueSCEPChallenge},
	}
}

// issueSCEPChallenge mints a challenge from {"provisioner", "team", "ttl"}; the password is in
// this answer only.
func (h *handlers) issueSCEPChallenge(c echo.Context) error {
	var req wire.SCEPChallengeRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	ttl := DefaultSCEPChallengeTTL
	if req.TTL != "" {
		var err error
		if ttl, err = parseTTL(req.TTL); err != nil {
			return err
		}
	}
	var issued commands.IssuedSCEPChallenge
	if _, err := h.run("issue_scep_challenge", func() (commands.Result, error) {
		var err error
		issued, err = h.Commands.IssueSCEPChallenge.Handle(c.Request().Context(),
			commands.IssueSCEPChallenge{CommandID: commandID(c), Provisioner: req.Provisioner, Team: req.Team, TTL: ttl}, caller(c))
		return issued.Result, err
	}); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusCreated, wire.SCEPChallenge{Password: issued.Password, ChallengeID: issued.ChallengeID.String(),
		Provisioner: req.Provisioner, Team: req.Team, ExpiresAt: issued.ExpiresAt})
}
