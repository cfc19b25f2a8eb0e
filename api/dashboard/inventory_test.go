package dashboard_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/tests/clienttest"
)

// TestInventorySearchesBySerialOwnerAndSAN: the inventory finds a certificate by its serial
// (upper case with colons, as openssl prints it), by owner and by a piece of a SAN, and a DEVOPS
// caller's search never finds another team's certificate.
func TestInventorySearchesBySerialOwnerAndSAN(t *testing.T) {
	w := newWorld(t)
	pay, err := w.admin.ListCertificates(t.Context(), client.CertificateFilter{Team: "pay", Status: "issued"}, "", 1)
	require.NoError(t, err)
	target := pay.Items[0]
	hexSerial := target.Serial
	if len(hexSerial)%2 == 1 {
		hexSerial = "0" + hexSerial // openssl prints whole bytes
	}
	var colons []string
	for i := 0; i < len(hexSerial); i += 2 {
		colons = append(colons, strings.ToUpper(hexSerial[i:i+2]))
	}
	admin := browserless(t)
	signIn(t, admin, w.l.URL, clienttest.AdminToken)
	for name, q := range map[string]url.Values{
		"serial": {"serial": {strings.Join(colons, ":")}},
		"SAN":    {"san": {strings.TrimSuffix(target.SubjectCN, ".example.com")}},
	} {
		resp, page := get(t, admin, w.l.URL+"/ui/inventory?"+q.Encode())
		require.Equal(t, http.StatusOK, resp.StatusCode, page)
		assert.Equal(t, 1, strings.Count(page, "<tr data-id="), name)
		assert.Contains(t, page, `data-id="`+target.ID+`"`, name)
	}
	_, page := get(t, admin, w.l.URL+"/ui/inventory?owner=pay%40example.com")
	assert.Equal(t, 2, strings.Count(page, "<tr data-id="), "pay's two certificates")

	dev := browserless(t)
	signIn(t, dev, w.l.URL, clienttest.DevOpsToken)
	_, page = get(t, dev, w.l.URL+"/ui/inventory?serial="+target.Serial)
	assert.Zero(t, strings.Count(page, "<tr data-id="), "DEVOPS of web does not find pay's certificate")
	assert.Contains(t, page, "No certificate matches.")
}
