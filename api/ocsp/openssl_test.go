package ocsp_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	xocsp "golang.org/x/crypto/ocsp"

	"github.com/certledger/certledger/api/ocsp"
	"github.com/certledger/certledger/domain"
)

// serve runs a responder for p's CA over HTTP on loopback.
func serve(t testing.TB, p *pki) (*httptest.Server, *ocsp.Responder, *statuses) {
	t.Helper()
	src := &statuses{known: map[string]domain.SerialStatus{}}
	r := ocsp.NewResponder(src, time.Hour)
	require.NoError(t, r.AddIssuer(ocsp.Issuer{ID: "root", Certificate: p.ca, ResponderCert: p.responder, Signer: p.responderKey}))
	e := echo.New()
	ocsp.Register(e, r, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv, r, src
}

// opensslOCSP asks the responder with the openssl command-line client, verifying the response
// against the CA and checking the nonce it sends.
func opensslOCSP(t *testing.T, p *pki, url string) string {
	t.Helper()
	out, err := exec.Command("openssl", "ocsp", "-issuer", filepath.Join(p.dir, "ca.pem"),
		"-cert", filepath.Join(p.dir, "leaf.pem"), "-CAfile", filepath.Join(p.dir, "ca.pem"),
		"-url", url+"/ocsp").CombinedOutput()
	require.NoError(t, err, string(out))
	return string(out)
}

func TestOpenSSLSeesGoodThenRevokedWithReason(t *testing.T) {
	p := newPKI(t)
	srv, responder, src := serve(t, p)
	src.set(p.leaf.SerialNumber, domain.SerialStatus{Kind: domain.SerialGood})

	out := opensslOCSP(t, p, srv.URL)
	assert.Contains(t, out, "Response verify OK")
	assert.Contains(t, out, "leaf.pem: good")
	assert.NotContains(t, out, "nonce", "openssl sends a nonce and warns when it is not echoed")

	revokedAt := time.Now().Add(-time.Minute).Truncate(time.Second)
	src.set(p.leaf.SerialNumber, domain.SerialStatus{Kind: domain.SerialRevoked, RevokedAt: revokedAt, Reason: domain.ReasonKeyCompromise})
	responder.Invalidate("root", p.leaf.SerialNumber)

	out = opensslOCSP(t, p, srv.URL)
	assert.Contains(t, out, "leaf.pem: revoked")
	assert.Contains(t, out, "Reason: keyCompromise")
	assert.Contains(t, out, "Revocation Time: "+revokedAt.UTC().Format("Jan _2 15:04:05 2006 GMT"))
}

func TestGetAnswersFromCacheWithRFC5019Headers(t *testing.T) {
	p := newPKI(t)
	srv, _, src := serve(t, p)
	src.set(p.leaf.SerialNumber, domain.SerialStatus{Kind: domain.SerialGood})
	req, err := xocsp.CreateRequest(p.leaf, p.ca, nil)
	require.NoError(t, err)
	url := srv.URL + "/ocsp/" + base64.StdEncoding.EncodeToString(req)

	for i := 0; i < 3; i++ {
		resp, err := http.Get(url)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, "application/ocsp-response", resp.Header.Get("Content-Type"))
		assert.Contains(t, resp.Header.Get("Cache-Control"), "max-age=")
		assert.NotEmpty(t, resp.Header.Get("ETag"))
		parsed, err := xocsp.ParseResponseForCert(body, p.leaf, p.ca)
		require.NoError(t, err)
		assert.Equal(t, xocsp.Good, parsed.Status)
		assert.WithinDuration(t, parsed.ThisUpdate.Add(time.Hour), parsed.NextUpdate, time.Second)
	}
	assert.Equal(t, 1, src.lookups(), "a cached response is served without a new look-up")
}

func TestErrorsAreOCSPResponses(t *testing.T) {
	p := newPKI(t)
	srv, _, _ := serve(t, p)
	other := newPKI(t)
	foreign, err := xocsp.CreateRequest(other.leaf, other.ca, nil)
	require.NoError(t, err)
	stranger := *p.leaf
	stranger.SerialNumber = big.NewInt(12345)
	unknownReq, err := xocsp.CreateRequest(&stranger, p.ca, nil)
	require.NoError(t, err)

	tests := []struct {
		name        string
		contentType string
		body        []byte
		want        error
		status      int
	}{
		{"garbage", "application/ocsp-request", []byte("not DER"), xocsp.ResponseError{Status: xocsp.Malformed}, 0},
		{"oversized", "application/ocsp-request", bytes.Repeat([]byte{0x30}, ocsp.MaxRequestSize+10), xocsp.ResponseError{Status: xocsp.Malformed}, 0},
		{"wrong content type", "text/plain", foreign, xocsp.ResponseError{Status: xocsp.Malformed}, 0},
		{"CA not served", "application/ocsp-request", foreign, xocsp.ResponseError{Status: xocsp.Unauthorized}, 0},
		{"unknown serial", "application/ocsp-request", unknownReq, nil, xocsp.Unknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Post(srv.URL+"/ocsp", tc.contentType, bytes.NewReader(tc.body))
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			parsed, err := xocsp.ParseResponse(body, p.ca)
			if tc.want != nil {
				assert.Equal(t, tc.want, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.status, parsed.Status)
		})
	}
}
