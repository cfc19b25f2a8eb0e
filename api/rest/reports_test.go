package rest_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/clienttest"
)

// TestReportRoutes issues certificates of two teams through the API and reads the reports as
// JSON and CSV: every caller sees the numbers of the read model, DEVOPS only its own team's.
func TestReportRoutes(t *testing.T) {
	l, admin, ca := reportLedger(t)
	teams := map[string]int{"web": 3, "pay": 2}
	for team, n := range teams {
		for range n {
			admin("POST", "/api/v1/certificates", map[string]any{"ca_id": ca, "profile": "web", "team": team, "owner": "o@example.com",
				"csr": csr(t, "h-"+team+"-"+time.Now().Format("150405.000000000")+".example.com")})
		}
	}
	var expiry struct {
		Groups []struct {
			Key   string
			Total int64
		} `json:"groups"`
		Timeline []struct{ Count int64 } `json:"timeline"`
	}
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		status, _ := callInto(t, l, "/api/v1/reports/expiry", clienttest.AdminToken, &expiry)
		assert.Equal(c, http.StatusOK, status)
		var total int64
		for _, g := range expiry.Groups {
			total += g.Total
		}
		assert.Equal(c, int64(5), total)
	}, 10*time.Second, 20*time.Millisecond, "the report read model catches up")
	for _, g := range expiry.Groups {
		assert.Equal(t, int64(teams[g.Key]), g.Total, g.Key)
	}
	assert.Len(t, expiry.Timeline, 52)

	// DEVOPS of team web sees web alone, and may not ask for pay.
	status, _ := callInto(t, l, "/api/v1/reports/expiry?group_by=ca", clienttest.DevOpsToken, &expiry)
	require.Equal(t, http.StatusOK, status)
	require.Len(t, expiry.Groups, 1)
	assert.Equal(t, int64(3), expiry.Groups[0].Total)
	status, _ = call(t, l.Server, "GET", "/api/v1/reports/compliance?team=pay", clienttest.DevOpsToken, nil)
	assert.Equal(t, http.StatusForbidden, status)
	status, _ = call(t, l.Server, "GET", "/api/v1/reports/expiry?group_by=owner", clienttest.AdminToken, nil)
	assert.Equal(t, http.StatusBadRequest, status)

	for _, how := range []struct{ query, accept string }{{"?format=csv", ""}, {"", "text/csv"}} {
		rows := csvOf(t, l, "/api/v1/reports/compliance"+how.query, how.accept)
		assert.Equal(t, []string{"team", "rule", "severity", "count"}, rows[0])
		assert.Contains(t, rows, []string{"web", "score", "", "1.0000"})
	}
	rows := csvOf(t, l, "/api/v1/reports/cost?format=csv", "")
	assert.Equal(t, "kind", rows[0][0])
	assert.Len(t, rows, 1+2+2, "a line for each team's certificates issued this month, and for their renewals")
	for _, r := range rows[1:] {
		assert.Equal(t, "0", r[6], "without a price table every certificate is free")
	}
}

// reportLedger starts a ledger with a CA and the profile "web" (example.com, P-256, 90 days),
// and returns it, a caller of its API as ADMIN and the CA's id.
func reportLedger(t *testing.T) (*clienttest.Ledger, func(method, path string, body any) map[string]any, string) {
	t.Helper()
	l := clienttest.Start(t)
	admin := func(method, path string, body any) map[string]any {
		t.Helper()
		status, out := call(t, l.Server, method, path, clienttest.AdminToken, body)
		require.Truef(t, status/100 == 2, "%s %s: %d %v", method, path, status, out)
		return out
	}
	ca := admin("POST", "/api/v1/cas", map[string]any{"name": "Reports Root", "common_name": "Reports Root", "key_algorithm": "ecdsa-p256"})["id"].(string)
	admin("POST", "/api/v1/profiles", map[string]any{"name": "web", "allowed_domains": []string{"example.com"},
		"key_types": []string{"ecdsa-p256"}, "max_validity_days": 90})
	return l, admin, ca
}

// callInto GETs path and decodes the JSON answer into out.
func callInto(t *testing.T, l *clienttest.Ledger, path, token string, out any) (int, error) {
	t.Helper()
	req, err := http.NewRequest("GET", l.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	return resp.StatusCode, json.NewDecoder(resp.Body).Decode(out)
}

// csvOf GETs a report as CSV and parses it.
func csvOf(t *testing.T, l *clienttest.Ledger, path, accept string) [][]string {
	t.Helper()
	req, err := http.NewRequest("GET", l.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+clienttest.AdminToken)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.True(t, strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv"), resp.Header.Get("Content-Type"))
	rows, err := csv.NewReader(resp.Body).ReadAll()
	require.NoError(t, err)
	return rows
}
