package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// MaxBodySize bounds a request body; a CSR is a few KiB.
const MaxBodySize = 64 << 10

// Commands is what the routes need of the command handlers.
type Commands interface {
	CreateCA(ctx context.Context, cmd commands.CreateCA, caller commands.Caller) (commands.Result, error)
	RevokeCA(ctx context.Context, cmd commands.RevokeCA, caller commands.Caller) (commands.Result, error)
	DefineProfile(ctx context.Context, cmd commands.DefineProfile, caller commands.Caller) (commands.Result, error)
	RequestCertificate(ctx context.Context, cmd commands.RequestCertificate, caller commands.Caller) (commands.Result, error)
	Approve(ctx context.Context, cmd commands.Decision, caller commands.Caller) (commands.Result, error)
	Reject(ctx context.Context, cmd commands.Decision, caller commands.Caller) (commands.Result, error)
	Revoke(ctx context.Context, cmd commands.Decision, caller commands.Caller) (commands.Result, error)
	RenewCertificate(ctx context.Context, cmd commands.RenewCertificate, caller commands.Caller) (commands.Result, error)
	Certificate(ctx context.Context, id uuid.UUID) (*domain.Certificate, error)
	CA(ctx context.Context, id uuid.UUID) (*domain.CA, error)
}

// Register adds the /api/v1 routes to e; inv serves the lists.
func Register(e *echo.Echo, cmds Commands, inv Inventory, auth Authenticator) {
	h := &handlers{cmds: cmds}
	e.GET("/api/v1/cas/:id/certificate", h.caCertificate) // anonymous, like any CA certificate
	v1 := e.Group("/api/v1", authenticate(auth))
	v1.POST("/cas", h.createCA)
	v1.GET("/cas/:id", h.getCA)
	v1.POST("/cas/:id/revoke", h.revokeCA)
	v1.POST("/profiles", h.defineProfile)
	v1.POST("/certificates", h.requestCertificate)
	v1.GET("/certificates", listCertificates(inv))
	v1.GET("/certificates/:id", h.getCertificate)
	v1.POST("/certificates/:id/approve", h.decide(cmds.Approve))
	v1.POST("/certificates/:id/reject", h.decide(cmds.Reject))
	v1.POST("/certificates/:id/revoke", h.decide(cmds.Revoke))
	v1.POST("/certificates/:id/renew", h.renew)
}

type handlers struct {
	cmds Commands
}

// bind decodes a JSON body of at most MaxBodySize into v, refusing unknown fields.
func bind(c echo.Context, v any) error {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, MaxBodySize+1))
	if err != nil {
		return badRequest("the request body could not be read")
	}
	if len(body) > MaxBodySize {
		return badRequest("the request body is over 64 KiB")
	}
	if len(body) == 0 {
		body = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("the request body is not valid JSON for this route: " + err.Error())
	}
	if dec.More() {
		return badRequest("the request body has data after the JSON object")
	}
	return nil
}

// pathID reads the :id parameter as a UUID; anything else names nothing, so it is a 404.
func pathID(c echo.Context) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return uuid.Nil, problemOf(&domain.Error{Kind: domain.KindNotFound, Message: "no resource has the id " + c.Param("id")})
	}
	return id, nil
}
