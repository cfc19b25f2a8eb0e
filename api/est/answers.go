package est

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/smallstep/pkcs7"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// problem is an error with the status and reason the client sees.
type problem struct {
	status int
	reason string
}

func (p *problem) Error() string { return fmt.Sprintf("EST %d: %s", p.status, p.reason) }

func fail(status int, format string, args ...any) error {
	return &problem{status: status, reason: fmt.Sprintf(format, args...)}
}

// statusOf maps a domain error kind to its HTTP status.
var statusOf = map[domain.ErrorKind]int{
	domain.KindInvalid:   http.StatusBadRequest,
	domain.KindPolicy:    http.StatusForbidden,
	domain.KindConflict:  http.StatusConflict,
	domain.KindNotFound:  http.StatusNotFound,
	domain.KindForbidden: http.StatusForbidden,
}

// answerError answers err as text/plain: a problem as it says, a domain error by its kind (its
// message and every violated rule), a conflict as 503 with Retry-After, anything else as a 500
// whose cause stays in the server's log.
func (s *Server) answerError(c echo.Context, err error) error {
	var p *problem
	var de *domain.Error
	switch {
	case errors.As(err, &p):
		if p.status == http.StatusUnauthorized {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Basic realm="certledger EST", charset="UTF-8"`)
		}
		return plain(c, p.status, p.reason)
	case errors.As(err, &de):
		msg := de.Message
		for _, v := range de.Violations {
			msg += "\n" + v.Field + ": " + v.Message
		}
		return plain(c, statusOf[de.Kind], msg)
	case errors.Is(err, commands.ErrConflict):
		c.Response().Header().Set("Retry-After", "1")
		return plain(c, http.StatusServiceUnavailable, "the certificate kept changing while the request ran; retry it")
	}
	s.deps.Logger.Error("EST request failed", "path", c.Path(), "error", err)
	return plain(c, http.StatusInternalServerError, "the ledger could not answer; see its log")
}

func plain(c echo.Context, status int, reason string) error {
	return c.String(status, reason+"\n")
}

// certsOnly answers certificates as RFC 7030 §4.1.3 and §4.2.3 do: a certs-only CMS
// SignedData, base64 with lines of 64 characters.
func certsOnly(c echo.Context, ders [][]byte) error {
	p7, err := pkcs7.DegenerateCertificate(bytes.Join(ders, nil))
	if err != nil {
		return fmt.Errorf("EST: certs-only CMS: %w", err)
	}
	return base64Body(c, "application/pkcs7-mime; smime-type=certs-only", p7)
}

// base64Body answers der in base64 with Content-Transfer-Encoding: base64, as EST does.
func base64Body(c echo.Context, contentType string, der []byte) error {
	text := base64.StdEncoding.EncodeToString(der)
	var out bytes.Buffer
	for len(text) > 64 {
		out.WriteString(text[:64] + "\n")
		text = text[64:]
	}
	out.WriteString(text + "\n")
	c.Response().Header().Set("Content-Transfer-Encoding", "base64")
	return c.Blob(http.StatusOK, contentType, out.Bytes())
}
