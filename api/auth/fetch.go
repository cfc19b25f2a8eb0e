package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// maxDocumentSize bounds the discovery document and the JWKS the ledger reads from the issuer.
const maxDocumentSize = 1 << 20

// getJSON GETs url and decodes its JSON body, of at most maxDocumentSize bytes, into dest.
func getJSON(ctx context.Context, client *http.Client, url string, dest any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("GET %s: %w", url, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %s", url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDocumentSize+1))
	if err != nil {
		return fmt.Errorf("GET %s: reading the body: %w", url, err)
	}
	if len(body) > maxDocumentSize {
		return fmt.Errorf("GET %s: body larger than %d bytes", url, maxDocumentSize)
	}
	if err := json.Unmarshal(body, dest); err != nil {
		return fmt.Errorf("GET %s: not the expected JSON: %w", url, err)
	}
	return nil
}
