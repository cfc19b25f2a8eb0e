package rest

import (
	"encoding/csv"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/certledger/certledger/projections/pki"
)

// exportFlushRows is how many CSV records go out before the response is flushed, so a large
// export reaches the client as it is read.
const exportFlushRows = 10_000

// exportCertificates streams every certificate matching f as CSV (GET /certificates with
// Accept: text/csv or ?format=csv): no paging, one query, one row in memory at a time. Once
// the first bytes are out, an error can only cut the body short; the server logs it.
func (h *handlers) exportCertificates(c echo.Context, f pki.CertificateFilter) error {
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, mediaCSV+"; charset=utf-8")
	res.Header().Set(echo.HeaderContentDisposition, `attachment; filename="certificates.csv"`)
	w := csv.NewWriter(res)
	started, n := false, 0
	err := h.ReadModel.ExportCertificates(c.Request().Context(), f, func(row pki.CertificateRow) error {
		if !started {
			res.WriteHeader(http.StatusOK)
			started = true
			if err := w.Write(pki.CSVHeader); err != nil {
				return err
			}
		}
		if n++; n%exportFlushRows == 0 {
			w.Flush()
			res.Flush()
		}
		return w.Write(row.CSVRecord())
	})
	if err != nil && !started {
		return err // nothing sent yet: the client gets the problem (503 while the read model starts)
	}
	if err != nil {
		return fmt.Errorf("export cut short after %d rows: %w", n, err)
	}
	if !started {
		res.WriteHeader(http.StatusOK)
		if err := w.Write(pki.CSVHeader); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
