package rest

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
)

// Cluster tells the cluster's nodes and leases (GET /cluster); ledgerd's lease manager
// (adapters/postgres/lease) is one.
type Cluster interface {
	ClusterStatus(ctx context.Context) (wire.Cluster, error)
}

func (h *handlers) clusterRoutes() []Route {
	return []Route{
		{http.MethodGet, "/cluster", Administer, "The cluster's nodes and the leases of their singleton jobs", h.cluster},
	}
}

func (h *handlers) cluster(c echo.Context) error {
	if h.Cluster == nil {
		return errors.New("cluster status: this server was built without the cluster's leases")
	}
	status, err := h.Cluster.ClusterStatus(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, status)
}
