package rest_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/tests/clienttest"
)

type expiryTotals struct {
	Groups []struct {
		Key   string `json:"key"`
		Later int64  `json:"later"`
		Total int64  `json:"total"`
	} `json:"groups"`
	AsOf *struct {
		Position uint64    `json:"position"`
		Time     time.Time `json:"time"`
	} `json:"as_of"`
}

func (e expiryTotals) of(team string) int64 {
	for _, g := range e.Groups {
		if g.Key == team {
			return g.Total
		}
	}
	return 0
}

// TestReportsAsOfAMomentBeforeARevocation asks the expiry report as of the moment before a
// revocation, by time and by position: it differs from today's exactly by the revoked
// certificate, and says which position it shows.
func TestReportsAsOfAMomentBeforeARevocation(t *testing.T) {
	l, admin, ca := reportLedger(t)
	var ids []string
	for i, team := range []string{"web", "web", "pay"} {
		c := admin("POST", "/api/v1/certificates", map[string]any{"ca_id": ca, "profile": "web", "team": team,
			"csr": csr(t, "asof-"+strconv.Itoa(i)+".example.com")})
		ids = append(ids, c["id"].(string))
	}
	before, err := l.Store.LastPosition(context.Background())
	require.NoError(t, err)
	time.Sleep(20 * time.Millisecond) // the moment lies strictly between the issuance and the revocation
	moment := time.Now().UTC()
	time.Sleep(20 * time.Millisecond)
	admin("POST", "/api/v1/certificates/"+ids[0]+"/revoke", map[string]any{"reason": "keyCompromise"})

	var today expiryTotals
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		status, _ := callInto(t, l, "/api/v1/reports/expiry", clienttest.AdminToken, &today)
		assert.Equal(c, http.StatusOK, status)
		assert.Equal(c, int64(1), today.of("web"), "the revoked certificate left the report")
	}, 10*time.Second, 20*time.Millisecond)
	assert.Nil(t, today.AsOf, "a live report names no moment")

	for _, asOf := range []string{moment.Format(time.RFC3339Nano), strconv.FormatUint(before, 10)} {
		var then expiryTotals
		status, err := callInto(t, l, "/api/v1/reports/expiry?as_of="+asOf, clienttest.AdminToken, &then)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, status, asOf)
		assert.Equal(t, today.of("web")+1, then.of("web"), "as of %s: the revoked certificate is still there", asOf)
		assert.Equal(t, today.of("pay"), then.of("pay"), "as of %s: nothing else differs", asOf)
		require.NotNil(t, then.AsOf)
		assert.Equal(t, before, then.AsOf.Position, "the answer names the last event before the moment")
	}

	var devops expiryTotals
	status, _ := callInto(t, l, "/api/v1/reports/expiry?as_of="+strconv.FormatUint(before, 10), clienttest.DevOpsToken, &devops)
	require.Equal(t, http.StatusOK, status)
	assert.Len(t, devops.Groups, 1, "DEVOPS sees its own team as of a moment too")
	rows := csvOf(t, l, "/api/v1/reports/expiry?format=csv&as_of="+strconv.FormatUint(before, 10), "")
	assert.Greater(t, len(rows), 1)

	for _, bad := range []string{"yesterday", time.Now().Add(time.Hour).Format(time.RFC3339)} {
		status, out := call(t, l.Server, "GET", "/api/v1/reports/expiry?as_of="+bad, clienttest.AdminToken, nil)
		assert.Equal(t, http.StatusBadRequest, status, "%s: %v", bad, out)
	}
}
