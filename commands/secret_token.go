package commands

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// Lengths of the parts of a secret token string after its prefix.
const (
	secretTokenIDLen     = 32 // hex digits
	secretTokenSecretLen = 43 // base64url characters of 32 bytes, unpadded
)

// newSecretToken makes a token string for id with a fresh secret from crypto/rand: prefix + the
// id as 32 lower-case hex digits + "_" + 32 random bytes in unpadded base64url. API tokens and
// agent join tokens share the format; only the SHA-256 of the whole string (hashSecretToken) is
// ever stored.
func newSecretToken(prefix string, id uuid.UUID) (string, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return "", fmt.Errorf("token secret: %w", err)
	}
	return prefix + hex.EncodeToString(id[:]) + "_" + base64.RawURLEncoding.EncodeToString(secret), nil
}

// hashSecretToken is what the ledger stores of a token: the lower-case hex SHA-256 of the string.
func hashSecretToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// parseSecretToken checks a token string's format strictly and returns the id it names; every
// refusal wraps invalid.
func parseSecretToken(prefix, token string, invalid error) (uuid.UUID, error) {
	rest, ok := strings.CutPrefix(token, prefix)
	if !ok {
		return uuid.Nil, fmt.Errorf("%w: it does not start with %q", invalid, prefix)
	}
	if len(rest) != secretTokenIDLen+1+secretTokenSecretLen || rest[secretTokenIDLen] != '_' {
		return uuid.Nil, fmt.Errorf("%w: it is not %s<32 hex digits>_<43 base64url characters>", invalid, prefix)
	}
	idHex, secret := rest[:secretTokenIDLen], rest[secretTokenIDLen+1:]
	if strings.Trim(idHex, "0123456789abcdef") != "" {
		return uuid.Nil, fmt.Errorf("%w: its id is not 32 lower-case hex digits", invalid)
	}
	if b, err := base64.RawURLEncoding.Strict().DecodeString(secret); err != nil || len(b) != 32 {
		return uuid.Nil, fmt.Errorf("%w: its secret is not 32 bytes in unpadded base64url", invalid)
	}
	raw, err := hex.DecodeString(idHex)
	if err != nil {
		return uuid.Nil, fmt.Errorf("%w: its id: %w", invalid, err)
	}
	return uuid.UUID(raw), nil
}
