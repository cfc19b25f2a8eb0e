package client

import (
	"context"
	"net/http"

	"github.com/certledger/certledger/api/wire"
)

// Cluster is the cluster's nodes and the leases of their singleton jobs.
type Cluster = wire.Cluster

// Cluster returns the nodes and leases of the cluster (ADMIN and SEC_OPS only).
func (c *Client) Cluster(ctx context.Context, opts ...RequestOption) (Cluster, error) {
	var out Cluster
	return out, c.call(ctx, http.MethodGet, "/cluster", nil, nil, &out, opts)
}
