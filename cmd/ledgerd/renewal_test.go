package main_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/tests/testutil"
)

// TestLedgerdRenewsOnItsOwnAcrossARestart issues a certificate whose profile renews it with
// its CSR on record at once (30 days before the end of 30), restarts ledgerd, and waits: the
// scheduler of the new process records its RenewalDue, renews it and revokes the old one as
// superseded, with no call to the API; a second restart records nothing again.
func TestLedgerdRenewsOnItsOwnAcrossARestart(t *testing.T) {
	dataDir, db := t.TempDir(), pgtest.NewDatabaseURL(t)
	start := func() (*ledgerd, *client.Client) {
		l := startLedgerd(t, "LEDGER_DATA_DIR="+dataDir, "DATABASE_URL="+db, "LEDGER_RENEWAL_INTERVAL=1s")
		waitReadyz(t, l, http.StatusOK)
		token, err := os.ReadFile(filepath.Join(dataDir, "admin.token"))
		require.NoError(t, err)
		return l, client.New(l.base, strings.TrimSpace(string(token)))
	}
	stop := func(l *ledgerd) {
		require.NoError(t, l.cmd.Process.Signal(syscall.SIGINT))
		require.NoError(t, l.wait(t))
	}
	ctx := context.Background()
	l, c := start()
	ca, err := c.CreateCA(ctx, client.NewCA{Name: "Root", CommonName: "Renewal Root", KeyAlgorithm: "ecdsa-p256"})
	require.NoError(t, err)
	_, err = c.DefineProfile(ctx, client.ProfileSpec{Name: "auto", AllowedDomains: []string{"example.com"},
		KeyTypes: []domain.KeyType{domain.KeyECDSAP256}, MaxValidityDays: 90,
		Renewal: &domain.RenewalPolicy{DaysBefore: 30, Mode: domain.RenewalReuseCSR, RevokeSuperseded: true}})
	require.NoError(t, err)
	old, err := c.RequestCertificate(ctx, client.CertificateRequest{CAID: ca.ID, Profile: "auto", Team: "web",
		CSR: string(testutil.CSR(t, "auto.example.com")), ValidityDays: 30})
	require.NoError(t, err)
	stop(l)

	l, c = start()
	require.EventuallyWithT(t, func(co *assert.CollectT) {
		page, err := c.ListRenewals(ctx, client.RenewalFilter{CertificateID: old.ID}, "", 0)
		require.NoError(co, err)
		require.Len(co, page.Items, 1)
		assert.Equal(co, "renewed", page.Items[0].State)
	}, time.Minute, 200*time.Millisecond, "the scheduler renews within a few rounds (a second apart)")
	// The old certificate is superseded, then (a step of its own) revoked as superseded.
	require.EventuallyWithT(t, func(co *assert.CollectT) {
		was, err := c.GetCertificate(ctx, old.ID)
		require.NoError(co, err)
		assert.Equal(co, "revoked", string(was.Status))
	}, 10*time.Second, 100*time.Millisecond)
	stop(l)

	_, c = start()
	time.Sleep(3 * time.Second) // the new process's first rounds
	history, err := c.CertificateHistory(ctx, old.ID)
	require.NoError(t, err)
	var due, renewed int
	for _, e := range history.Events {
		due += map[bool]int{true: 1}[e.Type == domain.TypeRenewalDue]
		renewed += map[bool]int{true: 1}[e.Type == domain.TypeCertificateRenewed]
	}
	assert.Equal(t, 1, due, "one RenewalDue across three processes")
	assert.Equal(t, 1, renewed)
}
