package crl_test

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api"
	"github.com/certledger/certledger/api/crl"
)

func TestHTTPServesCRLsWithCachingHeadersAndProblems(t *testing.T) {
	p := newPKI(t)
	svc := newService(t, p, &source{}, &memNumbers{}, crl.Config{MaxAge: time.Minute})
	require.NoError(t, svc.Refresh(context.Background()))
	later := newPKI(t)
	later.issuer.ID = "later"
	require.NoError(t, svc.AddIssuer(later.issuer)) // Registered, not yet built.
	srv := serve(t, svc)
	complete, delta := current(t, svc)

	tests := []struct {
		name        string
		method      string
		path        string
		status      int
		contentType string
		want        *crl.CRL // the CRL the body must be
		pem         bool
	}{
		{"complete DER", http.MethodGet, "/crl/root.crl", http.StatusOK, crl.ContentTypeDER, complete, false},
		{"complete PEM", http.MethodGet, "/crl/root.pem", http.StatusOK, crl.ContentTypePEM, complete, true},
		{"delta DER", http.MethodGet, "/crl/root/delta.crl", http.StatusOK, crl.ContentTypeDER, delta, false},
		{"delta PEM", http.MethodGet, "/crl/root/delta.pem", http.StatusOK, crl.ContentTypePEM, delta, true},
		{"HEAD", http.MethodHead, "/crl/root.crl", http.StatusOK, crl.ContentTypeDER, nil, false},
		{"unknown CA", http.MethodGet, "/crl/nobody.crl", http.StatusNotFound, api.ProblemContentType, nil, false},
		{"unknown CA delta", http.MethodGet, "/crl/nobody/delta.crl", http.StatusNotFound, api.ProblemContentType, nil, false},
		{"unknown format", http.MethodGet, "/crl/root.txt", http.StatusNotFound, api.ProblemContentType, nil, false},
		{"no format", http.MethodGet, "/crl/root", http.StatusNotFound, api.ProblemContentType, nil, false},
		{"unknown file under a CA", http.MethodGet, "/crl/root/base.crl", http.StatusNotFound, api.ProblemContentType, nil, false},
		{"CA not built yet", http.MethodGet, "/crl/later.crl", http.StatusServiceUnavailable, api.ProblemContentType, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			require.NoError(t, err)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)
			assert.Equal(t, tc.status, resp.StatusCode, string(body))
			assert.Equal(t, tc.contentType, resp.Header.Get("Content-Type"))
			switch {
			case tc.contentType == api.ProblemContentType:
				var prob api.Problem
				require.NoError(t, json.Unmarshal(body, &prob))
				assert.Equal(t, tc.status, prob.Status)
				assert.NotEmpty(t, prob.Detail)
			case tc.want != nil:
				if tc.pem {
					block, rest := pem.Decode(body)
					require.NotNil(t, block)
					assert.Equal(t, "X509 CRL", block.Type)
					assert.Empty(t, rest)
					body = block.Bytes
				}
				assert.Equal(t, tc.want.DER, body)
				assert.Equal(t, tc.want.ThisUpdate.Format(http.TimeFormat), resp.Header.Get("Last-Modified"))
				assert.Equal(t, tc.want.NextUpdate.Format(http.TimeFormat), resp.Header.Get("Expires"))
				assert.Equal(t, "public, max-age=60, no-transform", resp.Header.Get("Cache-Control"))
				assert.NotEmpty(t, resp.Header.Get("ETag"))
			}
		})
	}
}

func TestHTTPAnswersConditionalRequests(t *testing.T) {
	p := newPKI(t)
	svc := newService(t, p, &source{}, &memNumbers{}, crl.Config{})
	require.NoError(t, svc.Refresh(context.Background()))
	srv := serve(t, svc)

	resp, err := http.Get(srv.URL + "/crl/root.crl")
	require.NoError(t, err)
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	tests := []struct {
		name   string
		header string
		value  string
		status int
	}{
		{"same ETag", "If-None-Match", etag, http.StatusNotModified},
		{"other ETag", "If-None-Match", `"0.crl"`, http.StatusOK},
		{"not modified since", "If-Modified-Since", resp.Header.Get("Last-Modified"), http.StatusNotModified},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, srv.URL+"/crl/root.crl", nil)
			require.NoError(t, err)
			req.Header.Set(tc.header, tc.value)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tc.status, resp.StatusCode)
		})
	}
}
