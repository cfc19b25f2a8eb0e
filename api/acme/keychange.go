package acme

import (
	"errors"
	"net/http"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// keyChange rolls the signing account over to a new key (RFC 8555 §7.3.5): the outer JWS is
// the account's, its payload an inner JWS by the new key (a jwk, the same url, no nonce) over
// {"account": the account URL, "oldKey": the account's current key}.
func (s *Server) keyChange(c echo.Context, p Provisioner) error {
	ctx := c.Request().Context()
	url := s.url(c, p, "/key-change")
	req, err := s.verify(ctx, c.Request(), url, byKID, s.lookup(c, p))
	if err != nil {
		return err
	}
	inner, err := jose.ParseSigned(string(req.payload), allowedAlgs)
	if err != nil || len(inner.Signatures) != 1 {
		return malformed("the keyChange payload is not a JWS with one signature")
	}
	h := inner.Signatures[0].Protected
	if h.JSONWebKey == nil || !h.JSONWebKey.Valid() || !h.JSONWebKey.IsPublic() || h.KeyID != "" {
		return problem(http.StatusBadRequest, "badPublicKey", "the inner JWS must carry the new key as a jwk")
	}
	if got, _ := h.ExtraHeaders["url"].(string); got != url || h.Nonce != "" {
		return malformed("the inner JWS must have the outer url and no nonce")
	}
	payload, err := inner.Verify(h.JSONWebKey)
	if err != nil {
		return malformed("the inner JWS does not verify with its jwk")
	}
	var in struct {
		Account string          `json:"account"`
		OldKey  jose.JSONWebKey `json:"oldKey"`
	}
	if err := decodePayload(payload, &in); err != nil {
		return err
	}
	if in.Account != s.url(c, p, "/account/"+req.account.id) || !sameKey(&in.OldKey, req.account.key) {
		return malformed("the inner payload must name this account and its current key")
	}
	tp, err := thumbprint(h.JSONWebKey)
	if err != nil {
		return malformed("%v", err)
	}
	key, err := h.JSONWebKey.Public().MarshalJSON()
	if err != nil {
		return malformed("the new jwk cannot be stored: %v", err)
	}
	a, err := s.ledger.Commands.ChangeAccount.ChangeKey(ctx, commands.ChangeACMEAccountKey{
		AccountID: uuid.MustParse(req.account.id), Provisioner: p.Name, Thumbprint: tp, KeyJWK: key}, req.caller(c, p))
	var de *domain.Error
	if errors.As(err, &de) && de.Kind == domain.KindConflict {
		return problem(http.StatusConflict, "malformed", "the new key belongs to an account already")
	}
	if err != nil {
		return err
	}
	return s.writeAccount(c, p, a, http.StatusOK)
}
