package dashboard

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/client"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Prefix is where the dashboard's pages live, besides the overview at "/".
const Prefix = "/ui"

// DefaultSessionTTL is how long a sign-in lasts when Deps.SessionTTL is zero.
const DefaultSessionTTL = 8 * time.Hour

// Deps are what the dashboard is built on.
type Deps struct {
	// API serves the REST API (/api/v1): the echo instance the routes are registered on. Every
	// page is made of the API's answers to the signed-in caller's token.
	API http.Handler
	// Logger receives the failures a page shows as an error; nil means slog.Default().
	Logger *slog.Logger
	// SessionTTL is how long a sign-in lasts; zero is DefaultSessionTTL.
	SessionTTL time.Duration
	// ReadPosition, when set, is the position in $all the read models have applied
	// (RunnerPosition): the live feed holds each event until they have, so a refresh shows it.
	ReadPosition func(context.Context) (uint64, error)
	// Closing, when closed, ends the live feeds (as rest.Deps.Closing ends the API's event
	// streams): http.Server.Shutdown waits for handlers but cancels no request.
	Closing <-chan struct{}
}

// Dashboard serves the pages.
type Dashboard struct {
	api      http.Handler
	logger   *slog.Logger
	sessions *sessions
	pages    map[string]*template.Template

	readPosition func(context.Context) (uint64, error)
	closing      <-chan struct{}
}

// pageNames are the templates, each of which defines "main" inside layout.html.
var pageNames = []string{"overview", "inventory", "certificate", "approvals", "audit", "signin", "verify"}

// Register serves the dashboard on e: the overview at "/", the other pages, sign-in and the
// live event feed under Prefix, the embedded assets under Prefix+"/static/".
func Register(e *echo.Echo, d Deps) (*Dashboard, error) {
	if d.API == nil {
		return nil, errors.New("dashboard: no API handler")
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.SessionTTL <= 0 {
		d.SessionTTL = DefaultSessionTTL
	}
	db := &Dashboard{api: d.API, logger: d.Logger, sessions: newSessions(d.SessionTTL), pages: map[string]*template.Template{},
		readPosition: d.ReadPosition, closing: d.Closing}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("dashboard: template %s: %w", name, err)
		}
		db.pages[name] = t
	}
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, fmt.Errorf("dashboard: embedded assets: %w", err)
	}
	e.GET(Prefix+"/static/*", echo.WrapHandler(http.StripPrefix(Prefix+"/static/", http.FileServerFS(static))), cacheAssets)
	e.GET(Prefix+"/signin", db.signinForm)
	e.POST(Prefix+"/signin", db.signin)
	e.POST(Prefix+"/signout", db.signout, db.signedIn, db.checkCSRF)
	e.GET("/", db.overview, db.signedIn)
	e.GET(Prefix+"/inventory", db.inventory, db.signedIn)
	e.GET(Prefix+"/certificates/:id", db.certificate, db.signedIn)
	e.GET(Prefix+"/certificates/:id/verify", db.verify, db.signedIn)
	e.GET(Prefix+"/approvals", db.approvals, db.signedIn)
	e.POST(Prefix+"/approvals/:id", db.decide, db.signedIn, db.checkCSRF)
	e.GET(Prefix+"/audit", db.audit, db.signedIn)
	e.GET(Prefix+"/events", db.events, db.signedIn)
	return db, nil
}

// cacheAssets lets browsers keep the embedded assets for an hour: they change only with the binary.
func cacheAssets(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=3600")
		return next(c)
	}
}

// apiAs returns a client of the API calling in-process with the signed-in session's token.
func (db *Dashboard) apiAs(c echo.Context) *client.Client { return db.clientFor(c, sessionOf(c).token) }

// clientFor returns a client of the API calling in-process with token, from the browser's
// address and user agent, so that the ledger records and rate-limits the real caller.
func (db *Dashboard) clientFor(c echo.Context, token string) *client.Client {
	return client.New("http://dashboard.invalid", token, client.WithUserAgent("certledger-dashboard ("+c.Request().UserAgent()+")"),
		client.WithHTTPClient(&http.Client{Transport: inProcess{handler: db.api, remoteAddr: c.Request().RemoteAddr}}))
}
