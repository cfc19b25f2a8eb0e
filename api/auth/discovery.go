package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// discoveryPath is where an OpenID Connect issuer publishes its metadata (OpenID Connect
// Discovery 1.0, section 4).
const discoveryPath = "/.well-known/openid-configuration"

// discoveryDocument holds the fields of the issuer metadata the ledger uses.
type discoveryDocument struct {
	Issuer  string `json:"issuer"`
	JWKSURI string `json:"jwks_uri"`
}

// discoverJWKSURL reads the issuer's discovery document and returns its jwks_uri. The document
// must name the same issuer, so that a misconfigured or impersonating server is noticed.
func discoverJWKSURL(ctx context.Context, client *http.Client, issuer string) (string, error) {
	var doc discoveryDocument
	if err := getJSON(ctx, client, strings.TrimSuffix(issuer, "/")+discoveryPath, &doc); err != nil {
		return "", fmt.Errorf("discovery: %w", err)
	}
	if doc.Issuer != issuer {
		return "", fmt.Errorf("discovery: the document names issuer %q, want %q", doc.Issuer, issuer)
	}
	if doc.JWKSURI == "" {
		return "", errors.New("discovery: the document has no jwks_uri")
	}
	return doc.JWKSURI, nil
}
