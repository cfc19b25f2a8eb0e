package acme

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// EABKeyring makes the HMAC keys of External Account Binding (RFC 8555 §7.3.4). A key is
// HMAC-SHA256(secret, key id), so no HMAC key is stored anywhere: the event store records only
// its SHA-256 (ACMEEABKeyMinted), and the ledger re-derives it from the secret, which stays in
// ledgerd's configuration. Another secret makes every key minted before unusable (refused, as
// its SHA-256 is not the recorded one).
type EABKeyring struct{ secret []byte }

// MinEABSecret is the shortest secret a keyring takes.
const MinEABSecret = 32

// NewEABKeyring is the keyring of secret, at least MinEABSecret bytes.
func NewEABKeyring(secret []byte) (*EABKeyring, error) {
	if len(secret) < MinEABSecret {
		return nil, fmt.Errorf("ACME EAB secret: %d bytes, at least %d needed", len(secret), MinEABSecret)
	}
	return &EABKeyring{secret: append([]byte(nil), secret...)}, nil
}

func (r *EABKeyring) key(keyID string) []byte {
	m := hmac.New(sha256.New, r.secret)
	m.Write([]byte("certledger acme eab\x00" + keyID))
	return m.Sum(nil)
}

func keySHA256(key []byte) string {
	sum := sha256.Sum256(key)
	return hex.EncodeToString(sum[:])
}

// MintedEABKey is an EAB key as handed to a client once: its id and base64url HMAC key.
type MintedEABKey struct {
	KeyID   string `json:"key_id"`
	HMACKey string `json:"hmac_key"`
}

// MintEABKey records a new EAB key for provisioner's accounts acting for team, through mint
// (SEC_OPS or an ADMIN override), and returns it. The key id derives from commandID, so a
// retried command answers the same key.
func (r *EABKeyring) MintEABKey(ctx context.Context, mint *commands.MintACMEEABKeyHandler, commandID uuid.UUID,
	provisioner, team string, caller commands.Caller) (MintedEABKey, error) {
	id := uuid.NewSHA1(commandID, []byte("eab key"))
	key := r.key(id.String())
	if _, err := mint.Handle(ctx, commands.MintACMEEABKey{CommandID: commandID, KeyID: id, Provisioner: provisioner,
		Team: team, KeySHA256: keySHA256(key)}, caller); err != nil {
		return MintedEABKey{}, err
	}
	return MintedEABKey{KeyID: id.String(), HMACKey: base64.RawURLEncoding.EncodeToString(key)}, nil
}

// verifyEAB checks a newAccount's externalAccountBinding: a JWS signed with HS256 by the HMAC
// key of its kid, for url, over the account's own jwk. It returns the key id and the SHA-256 of
// its HMAC key, for the binding command to compare with the recorded one.
func (r *EABKeyring) verifyEAB(raw json.RawMessage, url string, accountKey *jose.JSONWebKey) (uuid.UUID, string, error) {
	refuse := func(format string, args ...any) (uuid.UUID, string, error) {
		return uuid.Nil, "", problem(http.StatusUnauthorized, "unauthorized", "externalAccountBinding: "+format, args...)
	}
	if r == nil {
		return refuse("this ledger has no EAB keys")
	}
	jws, err := jose.ParseSigned(string(raw), []jose.SignatureAlgorithm{jose.HS256, jose.HS384, jose.HS512})
	if err != nil || len(jws.Signatures) != 1 {
		return refuse("not a JWS with one HMAC signature")
	}
	h := jws.Signatures[0].Protected
	id, err := uuid.Parse(h.KeyID)
	if err != nil {
		return refuse("kid %q is not a key id of this ledger", h.KeyID)
	}
	if got, _ := h.ExtraHeaders["url"].(string); got != url || h.Nonce != "" {
		return refuse("the url must be the newAccount URL, and no nonce")
	}
	key := r.key(id.String())
	payload, err := jws.Verify(key)
	if err != nil {
		return refuse("the MAC does not verify with key %s", id)
	}
	var inner jose.JSONWebKey
	if err := inner.UnmarshalJSON(payload); err != nil {
		return refuse("the payload is not a JWK")
	}
	if !sameKey(&inner, accountKey) {
		return refuse("the payload is not the account's key")
	}
	return id, keySHA256(key), nil
}

func sameKey(a, b *jose.JSONWebKey) bool {
	ta, errA := thumbprint(a)
	tb, errB := thumbprint(b)
	return errors.Join(errA, errB) == nil && ta == tb
}

// MintEABKey mints an EAB key for one of the server's provisioners (rest.ACMEKeys): a
// provisioner it does not serve is KindNotFound, a server without a keyring KindConflict.
func (s *Server) MintEABKey(ctx context.Context, commandID uuid.UUID, provisioner, team string, caller commands.Caller) (wire.EABKey, error) {
	if _, ok := s.provisioners[provisioner]; !ok {
		return wire.EABKey{}, &domain.Error{Kind: domain.KindNotFound, Message: "no ACME provisioner " + strconv.Quote(provisioner)}
	}
	if s.eab == nil {
		return wire.EABKey{}, &domain.Error{Kind: domain.KindConflict, Message: "this ledger has no EAB secret (LEDGER_ACME_EAB_SECRET_FILE)"}
	}
	k, err := s.eab.MintEABKey(ctx, s.ledger.Commands.MintEABKey, commandID, provisioner, team, caller)
	if err != nil {
		return wire.EABKey{}, err
	}
	recorded, err := s.ledger.Queries.ACMEEABKey(ctx, uuid.MustParse(k.KeyID))
	if err != nil {
		return wire.EABKey{}, err
	}
	return wire.EABKey{KeyID: k.KeyID, HMACKey: k.HMACKey, Provisioner: recorded.Provisioner(), Team: recorded.Team()}, nil
}
