package dashboard_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/tests/clienttest"
	"github.com/certledger/certledger/tests/testutil"
)

func TestMain(m *testing.M) { hsmtest.Main(m) }

// secOpsToken stands for subject "sec" with the SEC_OPS role, who approves requests.
const secOpsToken = "dashboard-secops-token-0123456789abcdef"

// world is a ledger serving the dashboard, with certificates of two teams (web: 3, pay: 2)
// and one request of team web waiting for approval on the "gated" profile.
type world struct {
	l       *clienttest.Ledger
	admin   *client.Client
	ca      string
	pending string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	l := clienttest.StartWith(t, clienttest.Options{Dashboard: true,
		Tokens: map[string]domain.Actor{secOpsToken: {Subject: "sec", Roles: []domain.Role{domain.RoleSecOps}}}})
	w := &world{l: l, admin: client.New(l.URL, clienttest.AdminToken)}
	ctx := context.Background()
	ca, err := w.admin.CreateCA(ctx, client.NewCA{Name: "Dashboard Root", CommonName: "Dashboard Root", KeyAlgorithm: "ecdsa-p256"})
	require.NoError(t, err)
	w.ca = ca.ID
	for _, p := range []client.ProfileSpec{
		{Name: "web", AllowedDomains: []string{"example.com"}, KeyTypes: []domain.KeyType{"ecdsa-p256"}, MaxValidityDays: 90},
		{Name: "gated", AllowedDomains: []string{"example.com"}, KeyTypes: []domain.KeyType{"ecdsa-p256"}, MaxValidityDays: 90, RequiresApproval: true},
	} {
		_, err := w.admin.DefineProfile(ctx, p)
		require.NoError(t, err)
	}
	for team, n := range map[string]int{"web": 3, "pay": 2} {
		for i := range n {
			w.issueFor(t, team, fmt.Sprintf("%s-%d.example.com", team, i), 5+20*i) // 5, 25 and 45 days
		}
	}
	dev := client.New(l.URL, clienttest.DevOpsToken)
	req, err := dev.RequestCertificate(ctx, client.CertificateRequest{CAID: w.ca, Profile: "gated", Team: "web", Owner: "dev@example.com",
		CSR: string(testutil.CSR(t, "gated.example.com"))})
	require.NoError(t, err)
	require.Equal(t, "pending_approval", req.Status)
	w.pending = req.ID
	w.waitInventory(t, 6, 5)
	return w
}

// issue issues a certificate of team through the API, valid 90 days.
func (w *world) issue(t *testing.T, team, name string) client.Certificate {
	return w.issueFor(t, team, name, 90)
}

// issueFor issues a certificate of team through the API, valid for days.
func (w *world) issueFor(t *testing.T, team, name string, days int) client.Certificate {
	t.Helper()
	cert, err := w.admin.RequestCertificate(context.Background(), client.CertificateRequest{CAID: w.ca, Profile: "web", Team: team,
		Owner: team + "@example.com", CSR: string(testutil.CSR(t, name)), ValidityDays: days})
	require.NoError(t, err)
	require.Equal(t, "issued", cert.Status)
	return cert
}

// waitInventory waits until the read models list n certificates and report valid of them valid.
func (w *world) waitInventory(t *testing.T, n int, valid int64) {
	t.Helper()
	require.EventuallyWithT(t, func(c *assert.CollectT) {
		page, err := w.admin.ListCertificates(context.Background(), client.CertificateFilter{}, "", 500)
		require.NoError(c, err)
		assert.Len(c, page.Items, n)
		assert.Equal(c, valid, w.validCount(c))
	}, 20*time.Second, 20*time.Millisecond, "the read models catch up")
}

// validCount is the number of valid certificates by the API's expiry report, as the overview's
// card counts them.
func (w *world) validCount(t require.TestingT) int64 {
	r, err := w.admin.ExpiryReport(context.Background(), client.ReportQuery{"group_by": "team"})
	require.NoError(t, err)
	var n int64
	for _, g := range r.Groups {
		n += g.Total - g.Expired
	}
	return n
}
