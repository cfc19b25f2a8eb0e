package rest_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/projections/pki"
	"github.com/certledger/certledger/tests/clienttest"
)

// TestTheInventoryExportsAsCSV asks for the certificate list as CSV: every matching
// certificate, unpaged, with the inventory's columns, filtered as the JSON list is.
func TestTheInventoryExportsAsCSV(t *testing.T) {
	l := clienttest.Start(t)
	ca := setup(t, l.Server)
	for i, team := range []string{"web", "web", "pay"} {
		status, out := call(t, l.Server, "POST", "/api/v1/certificates", clienttest.AdminToken, map[string]any{"ca_id": ca,
			"profile": "web", "team": team, "owner": "o@example.com", "csr": csr(t, "export-"+string(rune('a'+i))+".example.com")})
		require.Equal(t, http.StatusCreated, status, out)
	}
	status := slices.Index(pki.CSVHeader, "status")
	team := slices.Index(pki.CSVHeader, "team")
	var rows [][]string
	require.Eventually(t, func() bool {
		rows = csvOf(t, l, "/api/v1/certificates?format=csv&limit=1", "")
		return len(rows) == 4 && rows[1][status] == "issued" && rows[2][status] == "issued" && rows[3][status] == "issued"
	}, 10*time.Second, 50*time.Millisecond, "a header and three issued certificates, whatever the page limit")
	assert.Equal(t, pki.CSVHeader, rows[0])
	for _, r := range rows[1:] {
		assert.Len(t, r, len(pki.CSVHeader))
	}
	web := csvOf(t, l, "/api/v1/certificates?team=web", "text/csv")
	require.Len(t, web, 3)
	assert.Equal(t, []string{"web", "web"}, []string{web[1][team], web[2][team]})
	none := csvOf(t, l, "/api/v1/certificates?format=csv&status=revoked", "")
	assert.Equal(t, [][]string{pki.CSVHeader}, none, "no match: the header alone")
}
