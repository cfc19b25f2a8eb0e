package ocsp

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// Register adds the RFC 6960 transport to an echo server: POST /ocsp with an
// application/ocsp-request body, and GET /ocsp/{base64 request}. OCSP reports its errors inside
// the response, so every answer is HTTP 200 with an application/ocsp-response body.
func Register(e *echo.Echo, r *Responder, log *slog.Logger) {
	h := &handler{responder: r, log: log}
	e.POST("/ocsp", h.post)
	e.GET("/ocsp/*", h.get)
}

type handler struct {
	responder *Responder
	log       *slog.Logger
}

func (h *handler) post(c echo.Context) error {
	if ct := c.Request().Header.Get(echo.HeaderContentType); ct != "application/ocsp-request" {
		return h.write(c, Answer{DER: malformedResponse}, false)
	}
	der, err := io.ReadAll(io.LimitReader(c.Request().Body, MaxRequestSize+1))
	if err != nil {
		return h.write(c, Answer{DER: malformedResponse}, false)
	}
	return h.answer(c, der, false)
}

func (h *handler) get(c echo.Context) error {
	raw, err := url.PathUnescape(c.Param("*"))
	if err != nil || len(raw) > 2*MaxRequestSize {
		return h.write(c, Answer{DER: malformedResponse}, false)
	}
	der, err := base64.StdEncoding.DecodeString(strings.TrimRight(raw, "\n"))
	if err != nil {
		return h.write(c, Answer{DER: malformedResponse}, false)
	}
	return h.answer(c, der, true)
}

func (h *handler) answer(c echo.Context, der []byte, cacheable bool) error {
	a, err := h.responder.Respond(c.Request().Context(), der)
	if err != nil {
		h.log.Error("OCSP request failed", "error", err)
	}
	return h.write(c, a, cacheable)
}

// write sends a response, with RFC 5019 caching headers on GET answers that have a validity.
func (h *handler) write(c echo.Context, a Answer, cacheable bool) error {
	hdr := c.Response().Header()
	if cacheable && !a.NextUpdate.IsZero() {
		maxAge := int(time.Until(a.NextUpdate).Seconds())
		sum := sha256.Sum256(a.DER)
		hdr.Set("Cache-Control", fmt.Sprintf("max-age=%d, public, no-transform, must-revalidate", max(maxAge, 0)))
		hdr.Set("Last-Modified", a.ThisUpdate.UTC().Format(http.TimeFormat))
		hdr.Set("Expires", a.NextUpdate.UTC().Format(http.TimeFormat))
		hdr.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	}
	return c.Blob(http.StatusOK, "application/ocsp-response", a.DER)
}
