package est

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/auth"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// Prefix is where RFC 7030 §3.2.2 puts EST.
const Prefix = "/.well-known/est"

// Requester runs the ledger's certificate request (*commands.RequestCertificateHandler).
type Requester interface {
	Handle(ctx context.Context, cmd commands.RequestCertificate, caller commands.Caller) (commands.Result, error)
}

// Renewer runs the ledger's renewal (*commands.RenewCertificateHandler).
type Renewer interface {
	Handle(ctx context.Context, cmd commands.RenewCertificate, caller commands.Caller) (commands.Result, error)
}

// Certificates reads certificates, CA chains and profiles from their streams (*commands.Queries).
type Certificates interface {
	Certificate(ctx context.Context, id uuid.UUID) (*domain.Certificate, error)
	CertificateChain(ctx context.Context, id uuid.UUID) ([][]byte, error)
	CAChain(ctx context.Context, caID string) ([][]byte, error)
	Profile(ctx context.Context, name string) (*domain.Profile, error)
}

// Authenticator turns an API token into the actor it stands for (auth.Chain).
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (domain.Actor, error)
}

// Deps are what Register builds the EST endpoints on.
type Deps struct {
	Labels       []Label
	Request      Requester
	Renew        Renewer
	Certificates Certificates
	Auth         Authenticator
	// Issued finds the certificate a re-enrolling client presents (the PKI read model).
	Issued auth.CertificateLookup
	Logger *slog.Logger
}

// Server answers the EST requests of every label.
type Server struct {
	labels map[string]Label
	deps   Deps
}

// Route is one EST route, for listings.
type Route struct{ Method, Path string }

// operations are the EST operations served, by name, with their method.
var operations = []struct {
	method, name string
	handler      func(*Server, echo.Context, Label) error
}{
	{http.MethodGet, "cacerts", (*Server).caCerts},
	{http.MethodGet, "csrattrs", (*Server).csrAttrs},
	{http.MethodPost, "simpleenroll", (*Server).simpleEnroll},
	{http.MethodPost, "simplereenroll", (*Server).simpleReenroll},
}

// Register serves every operation for the default label (if one is named "") and under
// /.well-known/est/:label/ for the others, and returns the routes.
func Register(e *echo.Echo, deps Deps) []Route {
	s := &Server{labels: map[string]Label{}, deps: deps}
	for _, l := range deps.Labels {
		s.labels[l.Name] = l
	}
	if s.deps.Logger == nil {
		s.deps.Logger = slog.Default()
	}
	var routes []Route
	for _, op := range operations {
		for _, path := range []string{Prefix + "/" + op.name, Prefix + "/:label/" + op.name} {
			e.Add(op.method, path, s.wrap(op.handler))
			routes = append(routes, Route{op.method, path})
		}
	}
	return routes
}

// wrap finds the request's label (404 when it is not configured) and answers errors as text.
func (s *Server) wrap(h func(*Server, echo.Context, Label) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		l, ok := s.labels[c.Param("label")]
		if !ok {
			return plain(c, http.StatusNotFound, "no EST label "+quote(c.Param("label"))+" is configured here")
		}
		if err := h(s, c, l); err != nil {
			return s.answerError(c, err)
		}
		return nil
	}
}

func quote(label string) string {
	if label == "" {
		return "(the default)"
	}
	return `"` + label + `"`
}
