package client

import (
	"context"
	"net/http"

	"github.com/certledger/certledger/api/wire"
)

// SCEP challenge bodies.
type (
	NewSCEPChallenge = wire.SCEPChallengeRequest
	SCEPChallenge    = wire.SCEPChallenge
)

// IssueSCEPChallenge mints a one-time SCEP challenge password; its secret is in this answer only.
func (c *Client) IssueSCEPChallenge(ctx context.Context, r NewSCEPChallenge, opts ...RequestOption) (SCEPChallenge, error) {
	var out SCEPChallenge
	return out, c.call(ctx, http.MethodPost, "/scep/challenges", nil, r, &out, opts)
}
