package dashboard_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/tests/clienttest"
	"github.com/certledger/certledger/tests/testutil"
)

// BenchmarkOverview measures the overview page's server time (GET / with a session, served
// in-process: the four report routes and the pending page through the API, and the template)
// over an inventory of $DASHBOARD_BENCH_CERTS certificates (default 2,000) of 20 teams, issued
// through the API, so that every read model row is the projections' own. It reports p50 and p99.
func BenchmarkOverview(b *testing.B) {
	n := 2000
	if v := os.Getenv("DASHBOARD_BENCH_CERTS"); v != "" {
		var err error
		n, err = strconv.Atoi(v)
		require.NoError(b, err)
	}
	l := clienttest.StartWith(b, clienttest.Options{Dashboard: true})
	admin := client.New(l.URL, clienttest.AdminToken)
	ctx := context.Background()
	ca, err := admin.CreateCA(ctx, client.NewCA{Name: "Bench Root", CommonName: "Bench Root", KeyAlgorithm: "ecdsa-p256"})
	require.NoError(b, err)
	_, err = admin.DefineProfile(ctx, client.ProfileSpec{Name: "web", AllowedDomains: []string{"example.com"},
		KeyTypes: []domain.KeyType{"ecdsa-p256"}, MaxValidityDays: 398})
	require.NoError(b, err)
	csr := string(testutil.CSR(b, "bench.example.com")) // one key for all: the read models do not care
	start := time.Now()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < n; i += 4 {
				_, err := admin.RequestCertificate(ctx, client.CertificateRequest{CAID: ca.ID, Profile: "web",
					Team: fmt.Sprintf("team-%02d", i%20), Owner: "o@example.com", CSR: csr, ValidityDays: 1 + i%398})
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	require.EventuallyWithT(b, func(c *assert.CollectT) {
		page, err := admin.ListCertificates(ctx, client.CertificateFilter{}, "", 1)
		require.NoError(c, err)
		r, err := admin.ExpiryReport(ctx, client.ReportQuery{})
		require.NoError(c, err)
		var total int64
		for _, g := range r.Groups {
			total += g.Total
		}
		assert.NotEmpty(c, page.Items)
		assert.Equal(c, int64(n), total)
	}, 5*time.Minute, 100*time.Millisecond)
	b.Logf("issued %d certificates through the API in %s", n, time.Since(start).Round(time.Second))

	h := browserless(b)
	line := signIn(b, h, l.URL, clienttest.AdminToken)
	cookie := strings.SplitN(strings.SplitN(line, ";", 2)[0], "=", 2)
	handler := l.Server.Config.Handler
	var took []time.Duration
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.AddCookie(&http.Cookie{Name: cookie[0], Value: cookie[1]})
		rec := httptest.NewRecorder()
		t0 := time.Now()
		handler.ServeHTTP(rec, req)
		took = append(took, time.Since(t0))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `id="count-valid"`) {
			b.Fatalf("the overview answered %d: %s", rec.Code, rec.Body.String())
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}
