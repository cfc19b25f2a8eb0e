package acme

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// Nonces hands out replay nonces and accepts each once (*acmenonces.Store).
type Nonces interface {
	New(ctx context.Context) (string, error)
	Consume(ctx context.Context, nonce string) (bool, error)
}

// Ledger is what the protocol runs on: the ACME commands and the aggregates' streams.
type Ledger struct {
	Commands commands.ACMEHandlers
	Queries  *commands.Queries
	// Revoke is the ledger's one revoke command, which revokeCert runs.
	Revoke *commands.RevokeHandler
}

// Deps are what Register builds the ACME endpoints on.
type Deps struct {
	Provisioners []Provisioner
	Ledger       Ledger
	Nonces       Nonces
	// Validators validate the challenges every authorization offers, by type.
	Validators Validators
	// EAB verifies External Account Bindings; nil refuses every binding, so a provisioner
	// that requires one then registers no account.
	EAB *EABKeyring
	// Certificates finds the certificates revokeCert and renewalInfo name.
	Certificates Certificates
	Logger       *slog.Logger
}

// Server answers the ACME requests of every provisioner.
type Server struct {
	provisioners map[string]Provisioner
	ledger       Ledger
	nonces       Nonces
	validators   Validators
	eab          *EABKeyring
	certificates Certificates
	logger       *slog.Logger
}

// Route is one ACME endpoint, relative to /acme/{provisioner}.
type Route struct{ Method, Path string }

// Routes are the endpoints Register serves.
var Routes = []Route{
	{http.MethodGet, "/directory"}, {http.MethodHead, "/new-nonce"}, {http.MethodGet, "/new-nonce"},
	{http.MethodPost, "/new-account"}, {http.MethodPost, "/account/:id"}, {http.MethodPost, "/new-order"},
	{http.MethodPost, "/order/:id"}, {http.MethodPost, "/authz/:id/:n"}, {http.MethodPost, "/chall/:id/:n/:type"},
	{http.MethodPost, "/finalize/:id"}, {http.MethodPost, "/cert/:id"}, {http.MethodPost, "/key-change"},
	{http.MethodPost, "/revoke-cert"}, {http.MethodGet, "/renewal-info/:id"},
}

// Register serves the ACME endpoints of deps' provisioners on e under /acme/:provisioner.
func Register(e *echo.Echo, deps Deps) *Server {
	s := &Server{provisioners: map[string]Provisioner{}, ledger: deps.Ledger, nonces: deps.Nonces,
		validators: deps.Validators, eab: deps.EAB, certificates: deps.Certificates, logger: deps.Logger}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	for _, p := range deps.Provisioners {
		s.provisioners[p.Name] = p
	}
	handlers := map[string]func(echo.Context, Provisioner) error{
		"/directory": s.directory, "/new-nonce": s.newNonce, "/new-account": s.newAccount, "/account/:id": s.account,
		"/new-order": s.newOrder, "/order/:id": s.order, "/authz/:id/:n": s.authz, "/chall/:id/:n/:type": s.challenge,
		"/finalize/:id": s.finalize, "/cert/:id": s.certificate, "/key-change": s.keyChange,
		"/revoke-cert": s.revokeCert, "/renewal-info/:id": s.renewalInfo,
	}
	g := e.Group("/acme/:provisioner")
	for _, r := range Routes {
		g.Add(r.Method, r.Path, s.wrap(handlers[r.Path]))
	}
	return s
}

// wrap finds the provisioner, puts a fresh nonce and the directory link on the answer, and
// writes any error as an ACME problem.
func (s *Server) wrap(h func(echo.Context, Provisioner) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		nonce, err := s.nonces.New(ctx)
		if err != nil {
			s.logger.ErrorContext(ctx, "ACME nonce", "error", err)
			return s.writeProblem(c, problem(http.StatusServiceUnavailable, "serverInternal", "no nonce could be made"))
		}
		c.Response().Header().Set("Replay-Nonce", nonce)
		c.Response().Header().Set("Cache-Control", "no-store")
		p, ok := s.provisioners[c.Param("provisioner")]
		if !ok {
			return s.writeProblem(c, problem(http.StatusNotFound, "malformed", "no ACME provisioner %q", c.Param("provisioner")))
		}
		c.Response().Header().Add("Link", `<`+s.url(c, p, "/directory")+`>;rel="index"`)
		if err := h(c, p); err != nil {
			if p := problemOf(err, "malformed"); p.Status >= 500 {
				s.logger.ErrorContext(ctx, "ACME request failed", "path", c.Request().URL.Path, "error", err)
			}
			return s.writeProblem(c, problemOf(err, "malformed"))
		}
		return nil
	}
}

func (s *Server) writeProblem(c echo.Context, p *Problem) error {
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return c.Blob(p.Status, ProblemContentType, body)
}

// url is the absolute URL of path under the provisioner, as the client reached the ledger.
func (s *Server) url(c echo.Context, p Provisioner, path string) string {
	return c.Scheme() + "://" + c.Request().Host + "/acme/" + p.Name + path
}

func (s *Server) directory(c echo.Context, p Provisioner) error {
	return c.JSON(http.StatusOK, map[string]any{
		"newNonce": s.url(c, p, "/new-nonce"), "newAccount": s.url(c, p, "/new-account"),
		"newOrder": s.url(c, p, "/new-order"), "keyChange": s.url(c, p, "/key-change"),
		"revokeCert": s.url(c, p, "/revoke-cert"), "renewalInfo": s.url(c, p, "/renewal-info"),
		"meta": map[string]any{"externalAccountRequired": p.ExternalAccountRequired},
	})
}

func (s *Server) newNonce(c echo.Context, _ Provisioner) error {
	if c.Request().Method == http.MethodHead {
		return c.NoContent(http.StatusOK)
	}
	return c.NoContent(http.StatusNoContent)
}

// caller is the actor of an account: DEVOPS in its team (its EAB key's, else its provisioner's).
func caller(c echo.Context, p Provisioner, accountID, team string) commands.Caller {
	return commands.Caller{Actor: domain.Actor{Subject: domain.ACMESubjectPrefix + p.Name + ":" + accountID,
		Roles: []domain.Role{domain.RoleDevOps}, Team: team},
		SourceAddr: c.RealIP(), UserAgent: c.Request().UserAgent(), CorrelationID: c.Response().Header().Get(echo.HeaderXRequestID)}
}

// pathID is the :id of the path as a UUID.
func pathID(c echo.Context) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return uuid.Nil, problem(http.StatusNotFound, "malformed", "no such resource")
	}
	return id, nil
}
