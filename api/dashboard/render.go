package dashboard

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/api/wire"
)

// fragmentHeader asks for the page's main part only: the live refresh swaps it in place.
const fragmentHeader = "X-Dashboard-Fragment"

// view is what every page template gets.
type view struct {
	Title string
	Nav   string // the page the navigation marks as current
	Me    wire.Me
	CSRF  string
	// Live pages refresh their main part when the ledger appends an event.
	Live bool
	// After is the position in $all the read models had applied when the page was made: the
	// live feed starts after it, so an event the page missed still refreshes it.
	After uint64
	Error string
	Data  any
}

// sessionKey is where signedIn leaves the session in the echo context.
const sessionKey = "dashboard.session"

// signedIn sends a browser without a live session to the sign-in page.
func (db *Dashboard) signedIn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ss := db.sessions.get(c.Request())
		if ss == nil {
			if c.Request().Method != http.MethodGet || c.Request().Header.Get(fragmentHeader) != "" {
				return c.String(http.StatusUnauthorized, "sign in again")
			}
			return c.Redirect(http.StatusSeeOther, Prefix+"/signin")
		}
		c.Set(sessionKey, ss)
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		return next(c)
	}
}

// checkCSRF refuses a form without the session's CSRF token.
func (db *Dashboard) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !sessionOf(c).validCSRF(c.FormValue("csrf")) {
			return c.String(http.StatusForbidden, "the form's CSRF token is missing or stale: reload the page and try again")
		}
		return next(c)
	}
}

func sessionOf(c echo.Context) *session { ss, _ := c.Get(sessionKey).(*session); return ss }

// render writes a page, or only its main part when the live refresh asks for it.
func (db *Dashboard) render(c echo.Context, status int, page string, v view) error {
	if ss := sessionOf(c); ss != nil {
		v.Me, v.CSRF = ss.me, ss.csrf
	}
	if db.readPosition != nil && (v.Live || page == "audit") { // the pages that open the live feed
		if pos, err := db.readPosition(c.Request().Context()); err == nil {
			v.After = pos
		}
	}
	t := db.pages[page]
	name := "layout.html"
	if c.Request().Header.Get(fragmentHeader) != "" {
		name = "main"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, v); err != nil {
		return fmt.Errorf("dashboard: rendering %s: %w", page, err)
	}
	c.Response().Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
	return c.HTMLBlob(status, buf.Bytes())
}

// failed renders a page saying what the API answered, with the API's status when it gave one.
func (db *Dashboard) failed(c echo.Context, page, title string, err error) error {
	status := http.StatusBadGateway
	var apiErr *client.Error
	if errors.As(err, &apiErr) {
		status = apiErr.Status
	} else {
		db.logger.WarnContext(c.Request().Context(), "dashboard: a page failed", "page", page, "error", err)
	}
	return db.render(c, status, page, view{Title: title, Nav: page, Error: err.Error()})
}

var funcs = template.FuncMap{
	"date": func(t *time.Time) string {
		if t == nil {
			return "—"
		}
		return t.UTC().Format("2006-01-02")
	},
	"when": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") },
	"pct":  func(f float64) string { return fmt.Sprintf("%.1f %%", f*100) },
	"join": strings.Join,
	"short": func(s string) string {
		if len(s) > 16 {
			return s[:16] + "…"
		}
		return s
	},
	"has": func(me wire.Me, role string) bool {
		for _, r := range me.Roles {
			if r == role || r == "ADMIN" {
				return true
			}
		}
		return false
	},
}
