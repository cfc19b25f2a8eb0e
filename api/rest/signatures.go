package rest

import (
	"encoding/hex"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

func (h *handlers) signDigest(c echo.Context) error {
	var body wire.SignDigestRequest
	keyID, err := pathID(c)
	if err != nil {
		return err
	}
	if err := bind(c, &body); err != nil {
		return err
	}
	digest, err := hex.DecodeString(body.Digest)
	if err != nil {
		return badRequest("digest is not hexadecimal: " + err.Error())
	}
	cmd := commands.SignDigest{CommandID: commandID(c), KeyID: keyID, Digest: digest, DigestAlgorithm: body.DigestAlgorithm,
		Kind: body.Kind, Content: body.Content, Artifact: body.Artifact, Metadata: body.Metadata}
	cmd.RequestID = uuid.NewSHA1(cmd.CommandID, []byte("signature"))
	if _, err := h.run("sign_digest", func() (commands.Result, error) {
		return h.Commands.SignDigest.Handle(c.Request().Context(), cmd, caller(c))
	}); err != nil {
		return err
	}
	return h.showSignature(c, keyID, cmd.RequestID, true)
}

func (h *handlers) getSignature(c echo.Context) error {
	keyID, requestID, err := signaturePath(c)
	if err != nil {
		return err
	}
	return h.showSignature(c, keyID, requestID, false)
}

func (h *handlers) approveSignature(c echo.Context) error {
	return h.decideOnSignature(c, "approve_signature", func(call commands.Caller, id, requestID uuid.UUID, _ wire.Decision) (commands.Result, error) {
		return h.Commands.ApproveSignature.Handle(c.Request().Context(), commands.ApproveSignature{CommandID: id, RequestID: requestID}, call)
	})
}

func (h *handlers) refuseSignature(c echo.Context) error {
	return h.decideOnSignature(c, "refuse_signature", func(call commands.Caller, id, requestID uuid.UUID, body wire.Decision) (commands.Result, error) {
		return h.Commands.RefuseSignature.Handle(c.Request().Context(),
			commands.RefuseSignature{CommandID: id, RequestID: requestID, Reason: body.Reason}, call)
	})
}

// decideOnSignature reads a decision on a key's signature request (the path and the body),
// runs it under name with a command id per request, and answers with the request as it is now.
func (h *handlers) decideOnSignature(c echo.Context, name string,
	decide func(call commands.Caller, commandID, requestID uuid.UUID, body wire.Decision) (commands.Result, error)) error {
	var body wire.Decision
	keyID, requestID, err := signaturePath(c)
	if err != nil {
		return err
	}
	if err := bind(c, &body); err != nil {
		return err
	}
	if err := h.requestOfKey(c, keyID, requestID); err != nil {
		return err
	}
	id := uuid.NewSHA1(commandID(c), requestID[:])
	if _, err := h.run(name, func() (commands.Result, error) { return decide(caller(c), id, requestID, body) }); err != nil {
		return err
	}
	return h.showSignature(c, keyID, requestID, false)
}

// signaturePath reads the key and the request ids of the path.
func signaturePath(c echo.Context) (uuid.UUID, uuid.UUID, error) {
	keyID, err := pathID(c)
	if err != nil {
		return uuid.Nil, uuid.Nil, err
	}
	requestID, err := uuid.Parse(c.Param("sid"))
	if err != nil {
		return uuid.Nil, uuid.Nil, problemOf(&domain.Error{Kind: domain.KindNotFound, Message: "no signature request has the id " + c.Param("sid")})
	}
	return keyID, requestID, nil
}

// requestOfKey is a KindNotFound problem unless the request exists and is for the key.
func (h *handlers) requestOfKey(c echo.Context, keyID, requestID uuid.UUID) error {
	r, err := h.Aggregates.SignatureRequest(c.Request().Context(), requestID)
	if err != nil {
		return problemOf(err)
	}
	if r.Requested().KeyID != keyID.String() {
		return problemOf(&domain.Error{Kind: domain.KindNotFound, Message: "signing key " + keyID.String() + " has no signature request " + requestID.String()})
	}
	return nil
}

// showSignature answers with a request's state from its stream: a new request is 201 when
// signed and 202 while it waits for approval.
func (h *handlers) showSignature(c echo.Context, keyID, requestID uuid.UUID, created bool) error {
	if err := h.requestOfKey(c, keyID, requestID); err != nil {
		return err
	}
	r, err := h.Aggregates.SignatureRequest(c.Request().Context(), requestID)
	if err != nil {
		return problemOf(err)
	}
	req := r.Requested()
	if !mayRead(actorOf(c), req.Team) {
		return notVisible("signature request " + requestID.String())
	}
	resp := wire.SignatureRequest{ID: r.ID(), KeyID: req.KeyID, Status: string(r.Status()), Artifact: req.Artifact, Kind: kindName(req.Kind),
		Digest: hex.EncodeToString(req.Digest), DigestAlgorithm: string(req.DigestAlgorithm), Metadata: req.Metadata,
		RequestedBy: req.RequestedBy, RequestedAt: req.RequestedAt, ApprovalsRequired: req.ApprovalsRequired,
		Approvers: r.Approvers(), Revision: uint64(r.Version() - 1)}
	if s, ok := r.Signed(); ok {
		resp.Signature, resp.CMS, resp.SignedAt = s.Signature, s.CMS, &s.SignedAt
	}
	if refusal, ok := r.Refusal(); ok {
		resp.RefusalReason = refusal.Reason
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		if r.Status() == domain.SignatureStatusPending {
			status = http.StatusAccepted
		}
	}
	setETag(c, resp.Revision)
	return c.JSON(status, resp)
}

// kindName is a signature kind as the API names it: cms for the empty kind.
func kindName(k domain.SignatureKind) string {
	if k == domain.SignatureKindCMS {
		return "cms"
	}
	return string(k)
}
