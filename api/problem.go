package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/projections"
)

// ProblemContentType is the media type of every error response (RFC 7807).
const ProblemContentType = "application/problem+json"

// Problem is an RFC 7807 problem details document (wire.Problem). A handler may return a
// *Problem as its error to choose the exact response; any other error is mapped by the server's
// error handler.
type Problem = wire.Problem

// Violation is one of several problems with a request.
type Violation = wire.Violation

// NewProblem returns an "about:blank" problem for status with the given detail.
func NewProblem(status int, detail string) *Problem {
	return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
}

// problemHandler returns echo's central error handler: it turns every error into a problem+json
// response, and logs what it does not pass on to the client.
func problemHandler(logger *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		p := toProblem(err)
		if errors.Is(err, projections.ErrNotReady) {
			c.Response().Header().Set("Retry-After", "1")
		}
		if p.Status >= http.StatusInternalServerError {
			logger.ErrorContext(c.Request().Context(), "HTTP request failed",
				"method", c.Request().Method, "path", c.Request().URL.Path,
				"status", p.Status, "error", err.Error())
		}
		if c.Request().Method == http.MethodHead {
			logIfFailed(logger, c.NoContent(p.Status))
			return
		}
		body, mErr := json.Marshal(p)
		if mErr != nil { // A Problem holds only strings and an int; this cannot happen.
			logIfFailed(logger, c.NoContent(http.StatusInternalServerError))
			return
		}
		logIfFailed(logger, c.Blob(p.Status, ProblemContentType, body))
	}
}

// toProblem maps an error to the problem shown to the client. Only *Problem and *echo.HTTPError
// carry client-safe text; anything else becomes a generic 500.
func toProblem(err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	if errors.Is(err, projections.ErrNotReady) {
		return NewProblem(http.StatusServiceUnavailable,
			"The read model is not ready yet (the ledger is starting or rebuilding it); retry in a moment.")
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		if inner, ok := he.Internal.(*echo.HTTPError); ok {
			he = inner
		}
		detail := http.StatusText(he.Code)
		if msg, ok := he.Message.(string); ok && msg != "" {
			detail = msg
		}
		return NewProblem(he.Code, detail)
	}
	return NewProblem(http.StatusInternalServerError, "The server could not complete the request.")
}

func logIfFailed(logger *slog.Logger, err error) {
	if err != nil {
		logger.Warn("writing an error response failed", "error", err)
	}
}
