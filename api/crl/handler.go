package crl

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api"
)

// Media types of CRLs (RFC 2585 §4.2) and of PEM files.
const (
	ContentTypeDER = "application/pkix-crl"
	ContentTypePEM = "application/x-pem-file"
)

// Register serves svc's CRLs, to anyone (CRLs are public and signed):
//
//	GET /crl/{ca}.crl         complete CRL, DER
//	GET /crl/{ca}.pem         complete CRL, PEM
//	GET /crl/{ca}/delta.crl   delta CRL, DER (delta.pem: PEM)
//	GET /crl/{ca}/p{k}.crl    partition k of a partitioned CA's CRL, DER (p{k}.pem: PEM)
//
// Responses carry Last-Modified (thisUpdate), Expires (nextUpdate), Cache-Control and an ETag,
// and answer conditional and HEAD requests. An unknown CA is a 404 problem, a CA whose CRL is not
// built yet a 503 problem; both are rendered by the api server's problem+json error handler.
func Register(e *echo.Echo, svc *Service) {
	h := &handler{svc: svc}
	for _, m := range []string{http.MethodGet, http.MethodHead} {
		e.Add(m, "/crl/:file", h.complete)
		e.Add(m, "/crl/:ca/:file", h.scoped)
	}
}

type handler struct {
	svc *Service
}

func (h *handler) complete(c echo.Context) error {
	caID, format, ok := splitName(c.Param("file"))
	if !ok {
		return api.NewProblem(http.StatusNotFound, "CRLs are published as /crl/{ca}.crl and /crl/{ca}.pem.")
	}
	return h.serve(c, format, func() (*CRL, error) { return h.svc.Complete(caID) })
}

// scoped serves the CRLs under /crl/{ca}/: the delta CRL and the partitions.
func (h *handler) scoped(c echo.Context) error {
	name, format, ok := splitName(c.Param("file"))
	caID := c.Param("ca")
	switch k, isPart := partitionNumber(name); {
	case ok && name == "delta":
		return h.serve(c, format, func() (*CRL, error) { return h.svc.Delta(caID) })
	case ok && isPart:
		return h.serve(c, format, func() (*CRL, error) { return h.svc.Partition(caID, k) })
	}
	return api.NewProblem(http.StatusNotFound,
		"CRLs of a CA are published as /crl/{ca}/delta.crl and, for a partitioned CA, /crl/{ca}/p{k}.crl (or .pem).")
}

// partitionNumber parses "p3" into 3; only the canonical decimal form (no sign, no leading zero)
// is a partition's name, so that each partition has one URL.
func partitionNumber(name string) (int, bool) {
	digits, ok := strings.CutPrefix(name, "p")
	if !ok {
		return 0, false
	}
	k, err := strconv.Atoi(digits)
	return k, err == nil && strconv.Itoa(k) == digits
}

// splitName splits "root.crl" into "root" and "crl"; only .crl and .pem are served.
func splitName(file string) (name, format string, ok bool) {
	i := strings.LastIndexByte(file, '.')
	if i <= 0 {
		return "", "", false
	}
	name, format = file[:i], file[i+1:]
	return name, format, format == "crl" || format == "pem"
}

func (h *handler) serve(c echo.Context, format string, get func() (*CRL, error)) error {
	crl, err := get()
	switch {
	case errors.Is(err, ErrUnknownCA):
		return api.NewProblem(http.StatusNotFound, err.Error())
	case errors.Is(err, ErrNotBuilt):
		c.Response().Header().Set("Retry-After", "1")
		return api.NewProblem(http.StatusServiceUnavailable, err.Error())
	case err != nil:
		return err
	}
	body, contentType := crl.DER, ContentTypeDER
	if format == "pem" {
		body, contentType = crl.PEM(), ContentTypePEM
	}
	maxAge := min(crl.NextUpdate.Sub(h.svc.cfg.Clock()), h.svc.cfg.MaxAge)
	hdr := c.Response().Header()
	hdr.Set(echo.HeaderContentType, contentType)
	hdr.Set("Cache-Control", fmt.Sprintf("public, max-age=%d, no-transform", max(int(maxAge.Seconds()), 0)))
	hdr.Set("Expires", crl.NextUpdate.UTC().Format(http.TimeFormat))
	// CRL numbers never repeat for a CA, so the number names the content of a URL.
	hdr.Set("ETag", fmt.Sprintf(`"%s.%s"`, crl.Number.Text(16), format))
	http.ServeContent(c.Response(), c.Request(), "", crl.ThisUpdate, bytes.NewReader(body))
	return nil
}
