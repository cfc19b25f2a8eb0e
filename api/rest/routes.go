package rest

import (
	"context"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// Prefix is where the REST API lives.
const Prefix = "/api/v1"

// Handler runs one command, such as *commands.RevokeHandler for commands.Decision.
type Handler[C any] interface {
	Handle(ctx context.Context, cmd C, caller commands.Caller) (commands.Result, error)
}

// Commands are the command handlers the CA, profile and certificate routes run, one each.
type Commands struct {
	CreateCA           Handler[commands.CreateCA]
	RevokeCA           Handler[commands.RevokeCA]
	DefineProfile      Handler[commands.DefineProfile]
	RequestCertificate Handler[commands.RequestCertificate]
	Approve            Handler[commands.Decision]
	Reject             Handler[commands.Decision]
	Issue              Handler[commands.Decision]
	Revoke             Handler[commands.Decision]
	RenewCertificate   Handler[commands.RenewCertificate]
	CreateSigningKey   Handler[commands.CreateSigningKey]
	DisableSigningKey  Handler[commands.SigningKeyDecision]
	EnableSigningKey   Handler[commands.SigningKeyDecision]
	RevokeSigningKey   Handler[commands.SigningKeyDecision]
	RotateSigningKey   Handler[commands.RotateSigningKey]
	SignDigest         Handler[commands.SignDigest]
	ApproveSignature   Handler[commands.ApproveSignature]
	RefuseSignature    Handler[commands.RefuseSignature]
	IssueSCEPChallenge SCEPChallengeIssuer
}

// CommandsOf picks the routes' handlers out of an Application.
func CommandsOf(app *commands.Application) Commands {
	return Commands{CreateCA: app.CreateCA, RevokeCA: app.RevokeCA, DefineProfile: app.DefineProfile,
		RequestCertificate: app.RequestCertificate, Approve: app.Approve, Reject: app.Reject, Issue: app.Issue,
		Revoke: app.Revoke, RenewCertificate: app.RenewCertificate, CreateSigningKey: app.CreateSigningKey,
		DisableSigningKey: app.DisableSigningKey, EnableSigningKey: app.EnableSigningKey, RevokeSigningKey: app.RevokeSigningKey,
		RotateSigningKey: app.RotateSigningKey,
		SignDigest:       app.SignDigest, ApproveSignature: app.ApproveSignature, RefuseSignature: app.RefuseSignature,
		IssueSCEPChallenge: app.IssueSCEPChallenge}
}

// Aggregates reads a certificate, a CA, a signing key or a signature request from its event stream (*commands.Queries), so that a
// command's answer and the single-resource GETs show the state as the command left it, not as
// the read model has caught up with it.
type Aggregates interface {
	Certificate(ctx context.Context, id uuid.UUID) (*domain.Certificate, error)
	CA(ctx context.Context, id uuid.UUID) (*domain.CA, error)
	SigningKey(ctx context.Context, id uuid.UUID) (*domain.SigningKey, error)
	SignatureRequest(ctx context.Context, id uuid.UUID) (*domain.SignatureRequest, error)
}

// History reads a stream's events, with their chain verified.
type History interface {
	Load(ctx context.Context, stream string) ([]events.Envelope, events.Head, error)
}

// Deps are what the routes are built on.
type Deps struct {
	Commands   Commands
	Aggregates Aggregates
	// ReadModel answers the lists; the single-resource GETs read the event streams (Aggregates).
	ReadModel ReadModel
	History   History
	Auth      Authenticator
	Tokens    Tokens // the API token routes: commands, a token's stream and the access read model
	Audit     Audit  // the audit routes: the audit read model
	AuditKey  AuditKey
	Discovery Discovery
	Fleet     Fleet   // the agent and deployment routes
	Reports   Reports // the report routes: the report read model
	Renewals  Renewals
	// Signatures lists the signature requests waiting for approval: the code-signing read model.
	Signatures PendingSignatures
	// ReportsAsOf, when set, answers the reports ?as_of= a past moment; nil refuses as_of.
	ReportsAsOf ReportsAsOf
	// ACME mints EAB keys for the ACME provisioners; nil when the ledger serves none.
	ACME    ACMEKeys
	Cluster Cluster // GET /cluster: the nodes and the leases of their jobs
	// Observe, when set, is told the outcome of every command a route runs.
	Observe func(command, outcome string)
	// Events is $all, for the event stream (GET /events/stream); EventSource is the CloudEvents
	// source of its events ("" is DefaultEventSource).
	Events      Events
	EventSource string
	// Closing, when closed, ends the event streams: http.Server.Shutdown waits for handlers
	// but cancels no request, so the server closes it when it shuts down.
	Closing <-chan struct{}
}

// Route is one route of the API. The table of them (Routes) is the single source of what the
// API offers and who may call it: Register serves it, the OpenAPI document and the access
// matrix tests are checked against it.
type Route struct {
	Method string
	// Path is the echo path, under Prefix, such as "/certificates/:id".
	Path    string
	Access  Access
	Summary string
	handler echo.HandlerFunc
}

// Routes returns the route table.
func Routes(d Deps) []Route {
	h := &handlers{Deps: d}
	var out []Route
	for _, group := range [][]Route{h.caRoutes(), h.profileRoutes(), h.certificateRoutes(), h.signingKeyRoutes(), h.selfRoutes(), h.docRoutes(), h.tokenRoutes(), h.eventRoutes(),
		h.auditRoutes(), h.discoveryRoutes(), h.reportRoutes(), h.scepRoutes(), h.agentRoutes(), h.deploymentRoutes(), h.renewalRoutes(),
		h.acmeRoutes(), h.clusterRoutes()} {
		out = append(out, group...)
	}
	return out
}

// Register serves the route table on e. Every route but the Public ones authenticates its
// caller and checks the route's Access before anything else runs; perRoute middleware (rate
// limits) runs after that, so it knows the caller. It returns the table it served.
func Register(e *echo.Echo, d Deps, perRoute ...echo.MiddlewareFunc) []Route {
	routes := Routes(d)
	for _, r := range routes {
		var mw []echo.MiddlewareFunc
		if r.Access != Public {
			mw = append(mw, authenticate(d.Auth), authorize(r.Access))
		}
		mw = append(mw, withAccess(r.Access))
		mw = append(mw, perRoute...)
		e.Add(r.Method, Prefix+r.Path, r.handler, mw...)
	}
	return routes
}

type handlers struct{ Deps }

func (h *handlers) caRoutes() []Route {
	return []Route{
		{http.MethodPost, "/cas", Administer, "Create a root CA, or an intermediate CA under parent_id", h.createCA},
		{http.MethodGet, "/cas", Read, "List the CAs", h.listCAs},
		{http.MethodGet, "/cas/:id", Read, "Show a CA", h.getCA},
		{http.MethodGet, "/cas/:id/certificate", Public, "Download a CA certificate (format=pem|der)", h.caCertificate},
		{http.MethodGet, "/cas/:id/chain", Public, "Download a CA's chain up to its root, as PEM", h.caChain},
		{http.MethodGet, "/cas/:id/history", Read, "The events of a CA's stream", h.caHistory},
		{http.MethodPost, "/cas/:id/revoke", Administer, "Revoke a CA", h.revokeCA},
	}
}

func (h *handlers) profileRoutes() []Route {
	return []Route{
		{http.MethodPost, "/profiles", Administer, "Define a certificate profile", h.defineProfile},
		{http.MethodGet, "/profiles", Read, "List the profiles", h.listProfiles},
		{http.MethodGet, "/profiles/:name", Read, "Show a profile", h.getProfile},
		{http.MethodPut, "/profiles/:name", Administer, "Replace a profile's policy", h.updateProfile},
	}
}

func (h *handlers) certificateRoutes() []Route {
	return []Route{
		{http.MethodPost, "/certificates", Request, "Request a certificate from a CSR; issued at once unless the profile needs approval", h.requestCertificate},
		{http.MethodGet, "/certificates", Read, "List certificates, filtered, a page at a time", h.listCertificates},
		{http.MethodGet, "/certificates/:id", Read, "Show a certificate", h.getCertificate},
		{http.MethodGet, "/certificates/:id/certificate", Read, "Download a certificate (format=pem|der|chain)", h.downloadCertificate},
		{http.MethodGet, "/certificates/:id/history", Read, "The events of a certificate's stream", h.certificateHistory},
		{http.MethodPost, "/certificates/:id/approve", Approve, "Approve a pending request, which issues it", h.decide("approve", h.Commands.Approve)},
		{http.MethodPost, "/certificates/:id/reject", Approve, "Reject a pending request", h.decide("reject", h.Commands.Reject)},
		{http.MethodPost, "/certificates/:id/issue", Approve, "Issue an approved certificate", h.decide("issue", h.Commands.Issue)},
		{http.MethodPost, "/certificates/:id/revoke", Request, "Revoke a certificate", h.decide("revoke", h.Commands.Revoke)},
		{http.MethodPost, "/certificates/:id/renew", Request, "Renew a certificate from a new CSR", h.renew},
	}
}
