package dashboard_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/tests/clienttest"
)

var validCard = regexp.MustCompile(`id="count-valid">(\d+)<`)

// TestOverviewAsOf: the overview asked as of a moment before a certificate was issued shows
// the reports of that moment (the API's as-of answer, one certificate fewer), says which
// position it shows, and does not follow live events; without as_of it shows now.
func TestOverviewAsOf(t *testing.T) {
	w := newWorld(t)
	time.Sleep(20 * time.Millisecond)
	before := time.Now().UTC()
	time.Sleep(20 * time.Millisecond)
	w.issue(t, "web", "after.example.com")
	w.waitInventory(t, 7, 6)

	h := browserless(t)
	signIn(t, h, w.l.URL, clienttest.AdminToken)
	valid := func(query string) (int64, string) {
		t.Helper()
		resp, page := get(t, h, w.l.URL+"/"+query)
		require.Equal(t, http.StatusOK, resp.StatusCode, page)
		m := validCard.FindStringSubmatch(page)
		require.Len(t, m, 2, page)
		n, err := strconv.ParseInt(m[1], 10, 64)
		require.NoError(t, err)
		return n, page
	}
	now, page := valid("")
	assert.Equal(t, int64(6), now)
	assert.Contains(t, page, `data-live="1"`)

	at := before.Format(time.RFC3339Nano)
	then, page := valid("?as_of=" + url.QueryEscape(at))
	r, err := w.admin.ExpiryReport(t.Context(), client.ReportQuery{"group_by": "team", "as_of": at})
	require.NoError(t, err)
	var want int64
	for _, g := range r.Groups {
		want += g.Total - g.Expired
	}
	assert.Equal(t, want, then, "the API's answer as of the moment")
	assert.Equal(t, int64(5), then, "one certificate fewer than now")
	require.NotNil(t, r.AsOf)
	assert.Contains(t, page, "position "+strconv.FormatUint(r.AsOf.Position, 10)+" of the ledger")
	assert.NotContains(t, page, `data-live="1"`, "the past does not follow live events")
	assert.Contains(t, page, `id="count-pending">—<`)

	resp, page := get(t, h, w.l.URL+"/?as_of=yesterday-ish")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "the API's 400 for a moment it cannot read")
	assert.Contains(t, page, "as_of")
}
