package main

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/certledger/certledger/api/auth"
	"github.com/certledger/certledger/api/rest"
	"github.com/certledger/certledger/domain"
)

// bootstrapAdmin is the actor of the bootstrap token.
var bootstrapAdmin = domain.Actor{Subject: "bootstrap-admin", Roles: []domain.Role{domain.RoleAdmin}}

// bootstrapTokens returns the API tokens ledgerd accepts: the bootstrap ADMIN token in
// <DataDir>/admin.token, written (mode 0600) on the first start. The token itself is only kept
// as a hash in memory.
func bootstrapTokens(dataDir string) (*rest.StaticTokens, string, error) {
	path := filepath.Join(dataDir, "admin.token")
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		token, err := newBootstrapToken()
		if err != nil {
			return nil, "", err
		}
		raw = []byte(token + "\n")
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, "", fmt.Errorf("data folder: %w", err)
		}
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			return nil, "", fmt.Errorf("write the bootstrap admin token: %w", err)
		}
	} else if err != nil {
		return nil, "", fmt.Errorf("read the bootstrap admin token: %w", err)
	}
	token := strings.TrimSpace(string(raw))
	if len(token) < 32 {
		return nil, "", fmt.Errorf("the bootstrap admin token in %s is too short to be safe", path)
	}
	tokens := rest.NewStaticTokens()
	tokens.Add(token, bootstrapAdmin)
	return tokens, path, nil
}

// newBootstrapToken returns 32 random bytes in base64url: no dots, so never taken for a JWT,
// and never with the API tokens' prefix.
func newBootstrapToken() (string, error) {
	for {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return "", err
		}
		if token := base64.RawURLEncoding.EncodeToString(b); !strings.HasPrefix(token, auth.APITokenPrefix) {
			return token, nil
		}
	}
}
