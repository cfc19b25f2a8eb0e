package client

import (
	"context"
	"net/http"

	"github.com/certledger/certledger/api/wire"
)

// NewEABKey is the body of MintEABKey: the ACME provisioner and the team its bound account
// acts for.
type NewEABKey = wire.EABKeyRequest

// EABKey is a minted External Account Binding key; HMACKey is in MintEABKey's answer only.
type EABKey = wire.EABKey

// MintEABKey mints an ACME External Account Binding key (SEC_OPS or ADMIN).
func (c *Client) MintEABKey(ctx context.Context, k NewEABKey, opts ...RequestOption) (EABKey, error) {
	var out EABKey
	return out, c.call(ctx, http.MethodPost, "/acme/eab-keys", nil, k, &out, opts)
}
