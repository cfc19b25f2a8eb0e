package api_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/api"
	"github.com/certledger/certledger/projections/pki"
)

// TestAReadModelNotYetPreparedIsA503 lists certificates from a database whose read model the
// runner has not created yet, as while ledgerd starts: the client gets 503 with Retry-After,
// not a 500 that looks like a bug.
func TestAReadModelNotYetPreparedIsA503(t *testing.T) {
	queries := pki.NewQueries(pgtest.NewDatabase(t)) // no migrations, no projection schema
	e := newServer(t)
	e.GET("/list", func(c echo.Context) error {
		_, _, err := queries.ListCertificates(c.Request().Context(), pki.CertificateFilter{}, "", 10)
		return err
	})

	rec := serve(t, e, http.MethodGet, "/list")
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Equal(t, "1", rec.Header().Get("Retry-After"))
	var got api.Problem
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
	assert.Contains(t, got.Detail, "not ready yet")
	assert.NotContains(t, rec.Body.String(), "rm_pki", "no SQL detail reaches the client")
}
