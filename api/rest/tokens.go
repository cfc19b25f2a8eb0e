package rest

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/projections/access"
)

// Tokens is what the API token routes need: the token commands, a token's stream and the
// list of tokens.
type Tokens struct {
	Issue  TokenIssuer                      // *commands.IssueAPITokenHandler
	Revoke Handler[commands.RevokeAPIToken] // *commands.RevokeAPITokenHandler
	Stream TokenStream                      // *commands.Queries
	List   TokenList                        // the access read model, *access.Queries
}

// TokenIssuer mints API tokens; it answers with the secret, shown this once.
type TokenIssuer interface {
	Handle(ctx context.Context, cmd commands.IssueAPIToken, caller commands.Caller) (commands.IssuedAPIToken, error)
}

// TokenStream folds a token from its stream, so that its status is never stale.
type TokenStream interface {
	APIToken(ctx context.Context, id uuid.UUID) (*domain.APIToken, error)
}

// TokenList lists the tokens, those issued by issuedBy unless it is "".
type TokenList interface {
	ListTokens(ctx context.Context, issuedBy string) ([]access.TokenRow, error)
}

// TokensOf joins the token commands and stream of an Application with the token list of the
// access read model.
func TokensOf(app *commands.Application, list TokenList) Tokens {
	return Tokens{Issue: app.IssueAPIToken, Revoke: app.RevokeAPIToken, Stream: app.Queries, List: list}
}

// DefaultTokenTTL is the lifetime of a token whose request names none.
const DefaultTokenTTL = 90 * 24 * time.Hour

// tokenRoutes are the API token routes. The summaries are those of openapi.json. "The caller's"
// tokens are those it issued, and for SEC_OPS and ADMIN every token.
func (h *handlers) tokenRoutes() []Route {
	return []Route{
		{http.MethodPost, "/tokens", Self, "Mint an API token for the caller", h.issueToken},
		{http.MethodGet, "/tokens", Self, "List the caller's API tokens", h.listTokens},
		{http.MethodGet, "/tokens/:id", Self, "Show one of the caller's API tokens", h.getToken},
		{http.MethodPost, "/tokens/:id/revoke", Self, "Revoke one of the caller's API tokens", h.revokeToken},
	}
}

// issueToken mints a token from {"role", "team", "ttl", "description"}; ttl is a Go duration
// ("720h") or a number of days ("30d"), DefaultTokenTTL when absent. A retry with the same
// Idempotency-Key is a 409: the first secret cannot be shown again.
func (h *handlers) issueToken(c echo.Context) error {
	var req wire.TokenRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	role, err := domain.ParseRole(req.Role)
	if err != nil {
		return problemOf(err)
	}
	ttl, err := parseTTL(req.TTL)
	if err != nil {
		return err
	}
	cmd := commands.IssueAPIToken{CommandID: commandID(c), Description: req.Description, Role: role, Team: req.Team, TTL: ttl}
	cmd.TokenID = uuid.NewSHA1(cmd.CommandID, []byte("apitoken"))
	var issued commands.IssuedAPIToken
	if _, err := h.run("issue_api_token", func() (commands.Result, error) {
		issued, err = h.Tokens.Issue.Handle(c.Request().Context(), cmd, caller(c))
		return issued.Result, err
	}); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return h.showToken(c, http.StatusCreated, issued.TokenID, issued.Token)
}

// parseTTL reads a token lifetime: "" for DefaultTokenTTL, "<n>d" for n days, or a Go duration.
// The domain checks its range.
func parseTTL(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultTokenTTL, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 100_000 {
			return 0, badRequest("ttl " + strconv.Quote(s) + " is not a number of days such as \"30d\"")
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, badRequest("ttl " + strconv.Quote(s) + " is neither a duration such as \"720h\" nor a number of days such as \"30d\"")
	}
	return d, nil
}

// listTokens lists the tokens the caller may see, newest first, from the read model.
func (h *handlers) listTokens(c echo.Context) error {
	actor := actorOf(c)
	issuedBy := actor.Subject
	if seesAllTokens(actor) {
		issuedBy = ""
	}
	rows, err := h.Tokens.List.ListTokens(c.Request().Context(), issuedBy)
	if err != nil {
		return err
	}
	now := time.Now()
	list := wire.TokenList{Items: make([]wire.TokenListItem, len(rows))}
	for i, r := range rows {
		list.Items[i] = tokenItem(r, now)
	}
	return c.JSON(http.StatusOK, list)
}

func (h *handlers) getToken(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	return h.showToken(c, http.StatusOK, id, "")
}

// revokeToken revokes a token with {"reason"}; If-Match guards against revoking a revision the
// caller has not seen.
func (h *handlers) revokeToken(c echo.Context) error {
	var body wire.TokenRevocationRequest
	id, call, err := readCommandOn(c, &body)
	if err != nil {
		return err
	}
	if _, err := h.run("revoke_api_token", func() (commands.Result, error) {
		return h.Tokens.Revoke.Handle(c.Request().Context(), commands.RevokeAPIToken{CommandID: commandID(c), TokenID: id,
			Reason: body.Reason}, call)
	}); err != nil {
		return err
	}
	return h.showToken(c, http.StatusOK, id, "")
}

// showToken answers with a token's state from its stream, its revision as the ETag, and
// secret when the token was just minted. Callers who may not see the token get a 403.
func (h *handlers) showToken(c echo.Context, status int, id uuid.UUID, secret string) error {
	t, err := h.Tokens.Stream.APIToken(c.Request().Context(), id)
	if err != nil {
		return problemOf(err)
	}
	if actor := actorOf(c); !seesAllTokens(actor) && actor.Subject != t.IssuedBy() {
		return forbidden("API token %s was issued by someone else; only its issuer, SEC_OPS and ADMIN see it", id)
	}
	resp := wire.Token{ID: t.ID(), Secret: secret, Role: string(t.Role()), Team: t.Team(), Description: t.Description(),
		IssuedBy: t.IssuedBy(), IssuedAt: t.IssuedAt(), ExpiresAt: t.ExpiresAt(), Status: string(t.Status(time.Now())),
		Revision: uint64(t.Version() - 1)}
	if r, ok := t.Revocation(); ok {
		resp.RevokedBy, resp.RevokedAt, resp.RevocationReason = r.By, &r.At, r.Reason
	}
	setETag(c, resp.Revision)
	return c.JSON(status, resp)
}

// seesAllTokens reports whether the caller sees every API token (SEC_OPS and ADMIN), not only
// those it issued.
func seesAllTokens(actor domain.Actor) bool {
	return actor.Has(domain.RoleSecOps) || actor.Has(domain.RoleAdmin)
}
