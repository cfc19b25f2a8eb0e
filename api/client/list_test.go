package client_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/tests/testutil"
)

func TestListsReadTheInventoryPageByPage(t *testing.T) {
	_, c, ca := setup(t)
	ctx := t.Context()
	var ids []string
	for i := range 3 {
		cert, err := c.RequestCertificate(ctx, client.CertificateRequest{CAID: ca.ID, Profile: "web",
			CSR: string(testutil.CSR(t, fmt.Sprintf("host%d.example.com", i))), Team: "web", Owner: "alice"})
		require.NoError(t, err)
		ids = append(ids, cert.ID)
	}
	_, err := c.Revoke(ctx, ids[0], "superseded", nil)
	require.NoError(t, err)

	issued := client.CertificateFilter{Status: "issued", Team: "web", CAID: ca.ID, ExpiresAfter: time.Now()}
	var seen []string
	require.EventuallyWithT(t, func(ct *assert.CollectT) {
		seen = nil
		cursor := ""
		for {
			page, err := c.ListCertificates(ctx, issued, cursor, 1)
			require.NoError(ct, err)
			for _, item := range page.Items {
				seen = append(seen, item.ID)
				assert.Equal(ct, "alice", item.Owner)
				assert.Equal(ct, "ecdsa-p256", item.KeyType)
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		assert.ElementsMatch(ct, ids[1:], seen, "the two issued certificates, one per page")
	}, 10*time.Second, 50*time.Millisecond)

	bySAN, err := c.ListCertificates(ctx, client.CertificateFilter{SAN: "HOST2.example"}, "", 0)
	require.NoError(t, err)
	require.Len(t, bySAN.Items, 1)
	assert.Equal(t, ids[2], bySAN.Items[0].ID)
	none, err := c.ListCertificates(ctx, client.CertificateFilter{ExpiresBefore: time.Now()}, "", 0)
	require.NoError(t, err)
	assert.Empty(t, none.Items)

	cas, err := c.ListCAs(ctx)
	require.NoError(t, err)
	require.Len(t, cas, 1)
	assert.Equal(t, ca.ID, cas[0].ID)
	assert.Equal(t, "ecdsa-p256", cas[0].KeyType)

	profiles, err := c.ListProfiles(ctx)
	require.NoError(t, err)
	require.Len(t, profiles, 1)
	assert.Equal(t, "web", profiles[0].Name)
	assert.Equal(t, 1, profiles[0].Version)
	assert.EqualValues(t, 0, profiles[0].Revision)
	var raw client.Response
	web, err := c.GetProfile(ctx, "web", client.Capture(&raw))
	require.NoError(t, err)
	assert.Equal(t, []string{"example.com"}, web.Spec.AllowedDomains)
	assert.Equal(t, "0", raw.ETag(), "the ETag is the revision")

	_, err = c.ListCertificates(ctx, client.CertificateFilter{}, "not-a-cursor", 0)
	assert.Equal(t, 400, statusOf(t, err))
}
