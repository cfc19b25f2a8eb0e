package client

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/certledger/certledger/domain/tsp"
)

// TimestampURL is the RFC 3161 time-stamp authority of the TSA signing key keyID, as RFC 3161
// clients such as osslsigncode add -ts and openssl ts take it.
func (c *Client) TimestampURL(keyID string) string { return c.base + "/tsa/" + segment(keyID) }

// maxTimestampReply bounds a TimeStampResp read: a token with its certificates is a few KiB.
const maxTimestampReply = 1 << 20

// Timestamp sends a DER TimeStampReq to the TSA of keyID and returns the DER TimeStampResp.
// The route is public, so no token is sent; a refusal is inside the response (its status),
// which the caller parses.
func (c *Client) Timestamp(ctx context.Context, keyID string, query []byte) ([]byte, error) {
	if len(query) > tsp.MaxRequestSize {
		return nil, fmt.Errorf("time-stamp request of %d bytes: the TSA takes at most %d", len(query), tsp.MaxRequestSize)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.TimestampURL(keyID), bytes.NewReader(query))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/timestamp-query")
	req.Header.Set("User-Agent", c.userAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("POST %s: %w", req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTimestampReply))
	if err != nil {
		return nil, fmt.Errorf("POST %s: read the answer: %w", req.URL, err)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/timestamp-reply" {
		return nil, fmt.Errorf("POST %s: %s (%s), not a time-stamp reply", req.URL, resp.Status, resp.Header.Get("Content-Type"))
	}
	return body, nil
}
