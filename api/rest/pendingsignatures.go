package rest

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/projections/signing"
)

// PendingSignatures lists the signature requests waiting for approval; *signing.Queries, the
// code-signing read model, is one.
type PendingSignatures interface {
	Pending(ctx context.Context, f signing.PendingFilter) ([]signing.RequestRow, error)
}

// listPendingSignatures answers GET /pending-signatures[?key_id=]: the requests waiting for
// approval that the caller may read (its team's and those of no team, or every team's for
// VIEWER, SEC_OPS and ADMIN), oldest first.
func (h *handlers) listPendingSignatures(c echo.Context) error {
	key, err := optionalUUID("key_id", c.QueryParam("key_id"))
	if err != nil {
		return err
	}
	team, all := readScope(actorOf(c))
	rows, err := h.Signatures.Pending(c.Request().Context(), signing.PendingFilter{KeyID: key, Team: team, AllTeams: all})
	if err != nil {
		return err
	}
	list := wire.PendingSignatures{Items: make([]wire.SignatureRequest, len(rows))}
	for i, r := range rows {
		list.Items[i] = wire.SignatureRequest{ID: r.ID.String(), KeyID: r.KeyID.String(), Status: r.Status, Artifact: r.Artifact,
			Kind: r.Kind, Digest: r.Digest, DigestAlgorithm: r.DigestAlgorithm, RequestedBy: r.RequestedBy, RequestedAt: r.RequestedAt,
			ApprovalsRequired: r.ApprovalsRequired, Approvers: r.Approvers, Revision: uint64(len(r.Approvers))}
	}
	return c.JSON(http.StatusOK, list)
}
