package dashboard

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// signinCookie carries the sign-in form's CSRF token (double submit), so that another site
// cannot sign a browser in as someone else.
const signinCookie = "certledger_signin"

type signinData struct{ Nonce string }

// signinForm shows the form taking an API token.
func (db *Dashboard) signinForm(c echo.Context) error {
	nonce := randomToken()
	c.SetCookie(&http.Cookie{Name: signinCookie, Value: nonce, Path: Prefix + "/signin", HttpOnly: true,
		Secure: c.Request().TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: 600})
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return db.render(c, http.StatusOK, "signin", view{Title: "Sign in", Data: signinData{Nonce: nonce}})
}

// signin checks the token with the API (GET /me) and, when it is accepted, opens a session:
// the browser gets only the session cookie.
func (db *Dashboard) signin(c echo.Context) error {
	nonce, err := c.Cookie(signinCookie)
	if err != nil || nonce.Value == "" || nonce.Value != c.FormValue("nonce") {
		return c.String(http.StatusForbidden, "the sign-in form is stale: reload it and try again")
	}
	token := strings.TrimSpace(c.FormValue("token"))
	again := func(status int, msg string) error {
		fresh := randomToken()
		c.SetCookie(&http.Cookie{Name: signinCookie, Value: fresh, Path: Prefix + "/signin", HttpOnly: true,
			Secure: c.Request().TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: 600})
		return db.render(c, status, "signin", view{Title: "Sign in", Error: msg, Data: signinData{Nonce: fresh}})
	}
	if token == "" {
		return again(http.StatusBadRequest, "Paste an API token to sign in.")
	}
	me, err := db.clientFor(c, token).Me(c.Request().Context())
	if err != nil {
		return again(http.StatusUnauthorized, "The ledger did not accept this token: "+err.Error())
	}
	id, _ := db.sessions.open(token, me)
	c.SetCookie(cookie(c.Request(), id, 0))
	c.SetCookie(&http.Cookie{Name: signinCookie, Path: Prefix + "/signin", MaxAge: -1})
	return c.Redirect(http.StatusSeeOther, "/")
}

// signout ends the session and deletes its cookie.
func (db *Dashboard) signout(c echo.Context) error {
	db.sessions.close(c.Request())
	c.SetCookie(cookie(c.Request(), "", -1))
	return c.Redirect(http.StatusSeeOther, Prefix+"/signin")
}
