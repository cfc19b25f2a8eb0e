package rest

import (
	"context"
	"crypto/sha256"
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// Authenticator turns a bearer token into the actor it stands for.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (domain.Actor, error)
}

// ErrUnknownToken is returned for a token that stands for nobody.
var ErrUnknownToken = errors.New("unknown or revoked token")

// StaticTokens authenticates a fixed set of tokens kept only as SHA-256 hashes, such as the
// bootstrap ADMIN token ledgerd writes on its first start.
type StaticTokens struct {
	mu     sync.RWMutex
	byHash map[[32]byte]domain.Actor
}

// NewStaticTokens returns an empty token set.
func NewStaticTokens() *StaticTokens { return &StaticTokens{byHash: map[[32]byte]domain.Actor{}} }

// Add lets token stand for actor.
func (s *StaticTokens) Add(token string, actor domain.Actor) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byHash[sha256.Sum256([]byte(token))] = actor
}

// Authenticate finds the actor of a token.
func (s *StaticTokens) Authenticate(_ context.Context, token string) (domain.Actor, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if a, ok := s.byHash[sha256.Sum256([]byte(token))]; ok {
		return a, nil
	}
	return domain.Actor{}, ErrUnknownToken
}

// Context keys of what the middleware learns about a request.
const (
	actorKey  = "certledger.actor"
	accessKey = "certledger.access"
)

// PresetActor, set by middleware that ran before the routes (the mTLS listener's client
// certificate check), authenticates a request that carries no bearer token.
const PresetActor = "certledger.preset-actor"

// authenticate is the middleware that requires a valid bearer token, or an actor the TLS
// listener already authenticated from a client certificate.
func authenticate(auth Authenticator) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			header := c.Request().Header.Get(echo.HeaderAuthorization)
			if preset, ok := c.Get(PresetActor).(domain.Actor); ok && header == "" {
				c.Set(actorKey, preset)
				return next(c)
			}
			token, ok := strings.CutPrefix(header, "Bearer ")
			if !ok || strings.TrimSpace(token) == "" {
				return unauthorized(c, "a bearer token is required")
			}
			actor, err := auth.Authenticate(c.Request().Context(), strings.TrimSpace(token))
			if err != nil {
				c.Logger().Debugf("authentication failed: %v", err) // the reason stays in the server
				return unauthorized(c, "the bearer token is not valid: unknown, expired, revoked or not signed by a trusted issuer")
			}
			if actor.Subject == "" {
				return unauthorized(c, "the bearer token names no subject")
			}
			c.Set(actorKey, actor)
			return next(c)
		}
	}
}

// withAccess records the route's Access, for rate limits.
func withAccess(a Access) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Set(accessKey, a)
			return next(c)
		}
	}
}

// RateKey names who calls a route and the route's class, for per-principal rate limits:
// the actor's subject, or the client address for Public routes; the class is the route's
// Access. A request outside the route table has class "".
func RateKey(c echo.Context) (principal, class string) {
	a, _ := c.Get(accessKey).(Access)
	if actor, ok := c.Get(actorKey).(domain.Actor); ok && actor.Subject != "" {
		return "subject:" + actor.Subject, string(a)
	}
	return "address:" + c.RealIP(), string(a)
}

func unauthorized(c echo.Context, detail string) error {
	c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="certledger"`)
	return &api.Problem{Type: "https://certledger.dev/problems/unauthenticated", Title: "Unauthorized",
		Status: http.StatusUnauthorized, Detail: detail}
}

// actorOf returns the authenticated actor of the request; none on Public routes.
func actorOf(c echo.Context) domain.Actor {
	actor, _ := c.Get(actorKey).(domain.Actor)
	return actor
}

// caller is who runs the request's command, for the events it appends.
func caller(c echo.Context) commands.Caller {
	correlation := c.Request().Header.Get(echo.HeaderXRequestID)
	if correlation == "" {
		correlation = c.Response().Header().Get(echo.HeaderXRequestID)
	}
	if correlation == "" {
		correlation = uuid.NewString()
	}
	return commands.Caller{Actor: actorOf(c), SourceAddr: c.RealIP(), UserAgent: c.Request().UserAgent(), CorrelationID: correlation}
}
