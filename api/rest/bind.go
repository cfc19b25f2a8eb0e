package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// MaxBodySize bounds a request body; a CSR is a few KiB.
const MaxBodySize = 64 << 10

// MaxScanBodySize bounds the body of a discovery scan: thousands of chains.
const MaxScanBodySize = 32 << 20

// bind decodes a JSON body of at most MaxBodySize into v, refusing unknown fields.
func bind(c echo.Context, v any) error { return bindAtMost(c, v, MaxBodySize) }

// bindAtMost is bind for a route whose bodies may be up to limit bytes.
func bindAtMost(c echo.Context, v any, limit int) error {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, int64(limit)+1))
	if err != nil {
		return badRequest("the request body could not be read")
	}
	return decodeBody(body, v, limit)
}

// decodeBody decodes one JSON object into v, refusing unknown fields, bodies over limit and
// anything after the object. An empty body is an empty object.
func decodeBody(body []byte, v any, limit int) error {
	if len(body) > limit {
		return tooLarge(limit)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("the request body is not valid JSON for this route: " + err.Error())
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
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

// idempotencyNamespace derives command ids from Idempotency-Key headers.
var idempotencyNamespace = uuid.MustParse("3b0d6f0e-64a1-4c55-9b8e-7f1c2d9a4e21")

// commandID is a fresh id, or, with an Idempotency-Key, the same id for every retry by the same
// actor of the same route on the same resource, so that the retry appends nothing.
func commandID(c echo.Context) uuid.UUID {
	key := c.Request().Header.Get("Idempotency-Key")
	if key == "" {
		return uuid.New()
	}
	return uuid.NewSHA1(idempotencyNamespace, []byte(actorOf(c).Subject+"\x00"+c.Path()+"\x00"+c.Param("id")+
		"\x00"+c.Param("name")+"\x00"+key))
}

// ifMatch reads an If-Match header holding a stream revision: "3" or 3 (a weak W/"3" too, as
// revisions name states, not bytes). No header, or *, sets no precondition.
func ifMatch(c echo.Context) (*uint64, error) {
	v := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if v == "" || v == "*" {
		return nil, nil
	}
	v = strings.Trim(strings.TrimPrefix(v, "W/"), `"`)
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return nil, badRequest(fmt.Sprintf("If-Match must hold one revision number, as the ETag of the resource gives it, not %q",
			c.Request().Header.Get("If-Match")))
	}
	return &n, nil
}

// setETag names the revision of the resource a response shows, for a later If-Match.
func setETag(c echo.Context, revision uint64) {
	c.Response().Header().Set("ETag", `"`+strconv.FormatUint(revision, 10)+`"`)
}

// optionalUUID reads the body field name holding a UUID; empty is uuid.Nil.
func optionalUUID(name, v string) (uuid.UUID, error) {
	if v == "" {
		return uuid.Nil, nil
	}
	id, err := uuid.Parse(v)
	if err != nil {
		return uuid.Nil, badRequest(name + " " + strconv.Quote(v) + " is not a UUID")
	}
	return id, nil
}

// readCommandOn reads what a command on the resource in the path needs: its id, the body and
// the caller with the request's If-Match.
func readCommandOn(c echo.Context, body any) (uuid.UUID, commands.Caller, error) {
	id, err := pathID(c)
	if err != nil {
		return uuid.Nil, commands.Caller{}, err
	}
	if err := bind(c, body); err != nil {
		return uuid.Nil, commands.Caller{}, err
	}
	call, err := conditionalCaller(c)
	return id, call, err
}
