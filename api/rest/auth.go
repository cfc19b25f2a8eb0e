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

const actorKey = "certledger.actor"

// authenticate is the middleware that requires a valid bearer token.
func authenticate(auth Authenticator) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			token, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
			if !ok || token == "" {
				return unauthorized(c, "a bearer token is required")
			}
			actor, err := auth.Authenticate(c.Request().Context(), token)
			if err != nil {
				return unauthorized(c, "the bearer token is not valid")
			}
			c.Set(actorKey, actor)
			return next(c)
		}
	}
}

func unauthorized(c echo.Context, detail string) error {
	c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="certledger"`)
	return &api.Problem{Type: "https://certledger.dev/problems/unauthenticated", Title: "Unauthorized",
		Status: http.StatusUnauthorized, Detail: detail}
}

// caller is who runs the request's command, for the events it appends.
func caller(c echo.Context) commands.Caller {
	actor, _ := c.Get(actorKey).(domain.Actor)
	correlation := c.Request().Header.Get(echo.HeaderXRequestID)
	if correlation == "" {
		correlation = uuid.NewString()
	}
	return commands.Caller{Actor: actor, SourceAddr: c.RealIP(), UserAgent: c.Request().UserAgent(), CorrelationID: correlation}
}

// idempotencyNamespace derives command ids from Idempotency-Key headers.
var idempotencyNamespace = uuid.MustParse("3b0d6f0e-64a1-4c55-9b8e-7f1c2d9a4e21")

// commandID is a fresh id, or, with an Idempotency-Key, the same id for every retry by the same
// actor of the same route.
func commandID(c echo.Context) uuid.UUID {
	key := c.Request().Header.Get("Idempotency-Key")
	if key == "" {
		return uuid.New()
	}
	actor, _ := c.Get(actorKey).(domain.Actor)
	return uuid.NewSHA1(idempotencyNamespace, []byte(actor.Subject+"\x00"+c.Path()+"\x00"+c.Param("id")+"\x00"+key))
}
