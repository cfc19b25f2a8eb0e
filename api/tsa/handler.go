package tsa

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain/tsp"
)

// The media types of RFC 3161 §3.4.
const (
	QueryType = "application/timestamp-query"
	ReplyType = "application/timestamp-reply"
)

// Issuer issues time-stamp tokens: commands.IssueTimestampHandler.
type Issuer interface {
	Handle(ctx context.Context, cmd commands.IssueTimestamp, caller commands.Caller) (commands.TimestampAnswer, error)
}

// Register adds POST /tsa/:key to e, behind the middlewares given (a rate limit).
func Register(e *echo.Echo, issuer Issuer, log *slog.Logger, mw ...echo.MiddlewareFunc) {
	h := &handler{issuer: issuer, log: log}
	e.POST("/tsa/:key", h.post, mw...)
}

type handler struct {
	issuer Issuer
	log    *slog.Logger
}

func (h *handler) post(c echo.Context) error {
	r := c.Request()
	if r.Header.Get(echo.HeaderContentType) != QueryType {
		return reject(c, tsp.BadDataFormat, "the body must be "+QueryType)
	}
	key, err := uuid.Parse(c.Param("key"))
	if err != nil {
		return reject(c, tsp.BadRequest, "the path names no signing key id")
	}
	der, err := io.ReadAll(io.LimitReader(r.Body, tsp.MaxRequestSize+1))
	if err != nil {
		return reject(c, tsp.BadDataFormat, "the request could not be read")
	}
	answer, err := h.issuer.Handle(r.Context(), commands.IssueTimestamp{CommandID: uuid.New(), TimestampID: uuid.New(),
		KeyID: key, Request: der}, commands.Caller{SourceAddr: c.RealIP(), UserAgent: r.UserAgent()})
	var failure *tsp.Failure
	switch {
	case errors.As(err, &failure):
		return c.Blob(http.StatusOK, ReplyType, tsp.Rejection(failure))
	case err != nil:
		h.log.Error("time-stamp failed", "key", key, "error", err)
		return reject(c, tsp.SystemFailure, "the TSA could not issue the token")
	}
	return c.Blob(http.StatusOK, ReplyType, answer.Response)
}

func reject(c echo.Context, info tsp.FailureInfo, reason string) error {
	return c.Blob(http.StatusOK, ReplyType, tsp.Rejection(&tsp.Failure{Info: info, Reason: reason}))
}
