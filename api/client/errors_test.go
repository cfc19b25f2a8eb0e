package client_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/tests/clienttest"
	"github.com/certledger/certledger/tests/testutil"
)

// statusOf is the status of an API error; it fails the test for any other error.
func statusOf(t *testing.T, err error) int {
	t.Helper()
	var apiErr *client.Error
	require.ErrorAs(t, err, &apiErr)
	return apiErr.Status
}

func TestPolicyViolationsAreListedOneALine(t *testing.T) {
	_, c, ca := setup(t)
	_, err := c.RequestCertificate(t.Context(), client.CertificateRequest{CAID: ca.ID, Profile: "web",
		CSR: string(testutil.CSR(t, "a.evil.net")), Team: "web", ValidityDays: 400})
	var apiErr *client.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusUnprocessableEntity, apiErr.Status)
	assert.Equal(t, "https://certledger.dev/problems/policy-violation", apiErr.Type)
	require.GreaterOrEqual(t, len(apiErr.Violations), 2, "every violation is listed")
	lines := strings.Split(err.Error(), "\n")
	assert.True(t, strings.HasPrefix(lines[0], "422 Unprocessable Entity: "), lines[0])
	require.Len(t, lines, 1+len(apiErr.Violations))
	for i, v := range apiErr.Violations {
		assert.Equal(t, "  - "+v.Field+": "+v.Message+" ["+v.Rule+"]", lines[i+1])
	}
	assert.Contains(t, err.Error(), "validity_days")
}

func TestRefusalsBecomeErrors(t *testing.T) {
	l, admin, ca := setup(t)
	ctx := t.Context()
	cert, err := admin.RequestCertificate(ctx, client.CertificateRequest{CAID: ca.ID, Profile: "web",
		CSR: string(testutil.CSR(t, "www.example.com")), Team: "web"})
	require.NoError(t, err)
	profile, err := admin.UpdateProfile(ctx, "web", webProfile("web", false))
	require.NoError(t, err)
	assert.EqualValues(t, 1, profile.Revision, "defined, then updated once")

	tests := []struct {
		name   string
		call   func() error
		status int
		typ    string
		detail string
	}{
		{"unknown certificate", func() error {
			_, err := admin.GetCertificate(ctx, "7f6b3c1e-0000-4000-8000-000000000000")
			return err
		}, http.StatusNotFound, "not-found", "7f6b3c1e-0000-4000-8000-000000000000"},
		{"stale If-Match on a revocation", func() error {
			_, err := admin.Revoke(ctx, cert.ID, "superseded", nil, client.IfMatch(cert.Revision+5))
			return err
		}, http.StatusPreconditionFailed, "precondition-failed", "ETag"},
		{"stale If-Match on a profile update", func() error {
			_, err := admin.UpdateProfile(ctx, "web", webProfile("web", true), client.IfMatch(0))
			return err
		}, http.StatusPreconditionFailed, "precondition-failed", ""},
		{"bad token", func() error {
			_, err := client.New(l.URL, "not-a-token").Me(ctx)
			return err
		}, http.StatusUnauthorized, "unauthenticated", "bearer token is not valid"},
		{"a VIEWER creates a CA", func() error {
			_, err := client.New(l.URL, clienttest.ViewerToken).CreateCA(ctx, client.NewCA{Name: "X", CommonName: "X", KeyAlgorithm: "ecdsa-p256"})
			return err
		}, http.StatusForbidden, "forbidden", "viewer"},
		{"unknown key algorithm", func() error {
			_, err := admin.CreateCA(ctx, client.NewCA{Name: "X", CommonName: "X", KeyAlgorithm: "dsa-1024"})
			return err
		}, http.StatusBadRequest, "invalid-request", ""},
		{"unknown download format", func() error {
			_, err := admin.DownloadCertificate(ctx, cert.ID, "p12")
			return err
		}, http.StatusBadRequest, "invalid-request", `"p12"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var apiErr *client.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.Status, err.Error())
			assert.Equal(t, "https://certledger.dev/problems/"+tc.typ, apiErr.Type)
			assert.Contains(t, apiErr.Detail, tc.detail)
			assert.Contains(t, err.Error(), http.StatusText(tc.status))
		})
	}
}

func TestAnUnreachableServerIsNoAPIError(t *testing.T) {
	_, err := client.New("http://127.0.0.1:1", clienttest.AdminToken).Me(t.Context())
	require.Error(t, err)
	var apiErr *client.Error
	assert.False(t, errors.As(err, &apiErr), "a transport failure is not an answer of the API")
	assert.Contains(t, err.Error(), "GET http://127.0.0.1:1/api/v1/me")
}
