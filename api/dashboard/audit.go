package dashboard

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/api/wire"
	"github.com/certledger/certledger/domain"
)

// auditData is the audit page: the latest signed checkpoint, whether its signature verifies
// with the ledger's audit key, and the live tail (filled by the page's script).
type auditData struct {
	Checkpoint *wire.AuditCheckpoint
	Verified   string // what was checked, when it held
	Problem    string // what failed, when it did not
}

// audit shows the latest checkpoint and checks its signature with the audit key the API serves.
func (db *Dashboard) audit(c echo.Context) error {
	api, ctx := db.apiAs(c), c.Request().Context()
	var d auditData
	cp, err := api.LatestCheckpoint(ctx)
	var apiErr *client.Error
	switch {
	case errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound:
		d.Problem = "No checkpoint has been signed yet."
	case err != nil:
		return db.failed(c, "audit", "Audit", err)
	default:
		d.Checkpoint = &cp
		if err := checkCheckpoint(c, api, cp); err != nil {
			d.Problem = err.Error()
		} else {
			d.Verified = fmt.Sprintf("The signature of the checkpoint over %d events verifies with audit key %s.", cp.TreeSize, cp.KeyID)
		}
	}
	return db.render(c, http.StatusOK, "audit", view{Title: "Audit", Nav: "audit", Data: d})
}

// checkCheckpoint checks that cp is signed by the audit key the API serves, whose id it names.
func checkCheckpoint(c echo.Context, api *client.Client, cp wire.AuditCheckpoint) error {
	pub, err := auditKey(c, api)
	if err != nil {
		return err
	}
	if id, err := domain.AuditKeyID(pub); err != nil || id != cp.KeyID {
		return fmt.Errorf("the checkpoint names audit key %s, not the served key %s", cp.KeyID, id)
	}
	if err := domain.VerifyCheckpointSignature(pub, cp.Note, cp.Signature); err != nil {
		return fmt.Errorf("the checkpoint's signature does not verify: %w", err)
	}
	return nil
}
