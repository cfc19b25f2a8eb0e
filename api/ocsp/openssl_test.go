package ocsp_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	xocsp "golang.org/x/crypto/ocsp"

	"github.com/certledger/certledger/api/ocsp"
)

// serve runs a responder for p's CA over HTTP on loopback.
func serve(t testing.TB, p *pki) (*httptest.Server, *ocsp.Responder, *statuses) {
	t.Helper()
	src := &statuses{known: map[string]ocsp.Status{}}
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
	src.set(p.leaf.SerialNumber, ocsp.Status{Kind: ocsp.Good})

	out := opensslOCSP(t, p, srv.URL)
	assert.Contains(t, out, "Response verify OK")
	assert.Contains(t, out, "leaf.pem: good")
	assert.NotContains(t, out, "nonce", "openssl sends a nonce and warns when it is not echoed")

	revokedAt := time.Now().Add(-time.Minute).Truncate(time.Second)
	src.set(p.leaf.SerialNumber, ocsp.Status{Kind: ocsp.Revoked, RevokedAt: revokedAt, Reason: xocsp.KeyCompromise})
	responder.Invalidate("root", p.leaf.SerialNumber)

	out = opensslOCSP(t, p, srv.URL)
	assert.Contains(t, out, "leaf.pem: revoked")
	assert.Contains(t, out, "Reason: keyCompromise")
	assert.Contains(t, out, "Revocation Time: "+revokedAt.UTC().Format("Jan _2 15:04:05 2006 GMT"))
}

func TestGetAnswersFromCacheWithRFC5019Headers(t *testing.T) {
	p := newPKI(t)
	srv, _, src := serve(t, p)
	src.set(p.leaf.SerialNumber, ocsp.Status{Kind: ocsp.Good})
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

// feed is a RevocationFeed and IssuerSource kept in memory, standing in for the read models.
type feed struct {
	mu      sync.Mutex
	issuers []ocsp.Issuer
	revs    []ocsp.Revocation
	issued  []ocsp.Issuance
}

func (f *feed) IssuedSince(_ context.Context, after int64, limit int) ([]ocsp.Issuance, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []ocsp.Issuance
	for _, it := range f.issued {
		if it.Position > after && len(out) < limit {
			out = append(out, it)
		}
	}
	return out, nil
}

func (f *feed) LatestPosition(context.Context) (int64, error) { return 0, nil }

func (f *feed) Issuers(context.Context) ([]ocsp.Issuer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]ocsp.Issuer(nil), f.issuers...), nil
}

func (f *feed) RevokedSince(_ context.Context, after int64, limit int) ([]ocsp.Revocation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []ocsp.Revocation
	for _, r := range f.revs {
		if r.Position > after && len(out) < limit {
			out = append(out, r)
		}
	}
	return out, nil
}

func TestFollowLoadsIssuersAndInvalidatesRevokedAnswers(t *testing.T) {
	p := newPKI(t)
	src := &statuses{known: map[string]ocsp.Status{}}
	src.set(p.leaf.SerialNumber, ocsp.Status{Kind: ocsp.Good})
	r := ocsp.NewResponder(src, time.Hour)
	f := &feed{issuers: []ocsp.Issuer{{ID: "root", Certificate: p.ca, ResponderCert: p.responder, Signer: p.responderKey}}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go ocsp.Follow(ctx, r, f, f, 20*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))

	req, err := xocsp.CreateRequest(p.leaf, p.ca, nil)
	require.NoError(t, err)
	status := func() int {
		a, err := r.Respond(ctx, req)
		require.NoError(t, err)
		resp, err := xocsp.ParseResponse(a.DER, p.ca)
		if err != nil {
			return -1
		}
		return resp.Status
	}
	require.Eventually(t, func() bool { return status() == xocsp.Good }, 5*time.Second, 10*time.Millisecond, "issuer loaded")

	src.set(p.leaf.SerialNumber, ocsp.Status{Kind: ocsp.Revoked, RevokedAt: time.Now(), Reason: xocsp.Superseded})
	assert.Equal(t, xocsp.Good, status(), "the cached answer stands until the revocation is projected")
	f.mu.Lock()
	f.revs = append(f.revs, ocsp.Revocation{IssuerID: "root", Serial: p.leaf.SerialNumber, Position: 7})
	f.mu.Unlock()
	require.Eventually(t, func() bool { return status() == xocsp.Revoked }, 5*time.Second, 10*time.Millisecond)
}

func TestFollowPresignsNewCertificates(t *testing.T) {
	p := newPKI(t)
	src := &statuses{known: map[string]ocsp.Status{}}
	src.set(p.leaf.SerialNumber, ocsp.Status{Kind: ocsp.Good})
	r := ocsp.NewResponder(src, time.Hour)
	f := &feed{issuers: []ocsp.Issuer{{ID: "root", Certificate: p.ca, ResponderCert: p.responder, Signer: p.responderKey}}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go ocsp.Follow(ctx, r, f, f, 20*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))

	f.mu.Lock()
	f.issued = append(f.issued, ocsp.Issuance{IssuerID: "root", Serial: p.leaf.SerialNumber, Position: 3})
	f.mu.Unlock()
	require.Eventually(t, func() bool { return src.lookups() == 1 }, 5*time.Second, 10*time.Millisecond,
		"the new certificate's answer is signed without any request")
}

func TestAPresignedAnswerServesRequests(t *testing.T) {
	p := newPKI(t)
	src := &statuses{known: map[string]ocsp.Status{}}
	src.set(p.leaf.SerialNumber, ocsp.Status{Kind: ocsp.Good})
	r := ocsp.NewResponder(src, time.Hour)
	require.NoError(t, r.AddIssuer(ocsp.Issuer{ID: "root", Certificate: p.ca, ResponderCert: p.responder, Signer: p.responderKey}))
	require.NoError(t, r.Presign(context.Background(), "root", p.leaf.SerialNumber))
	require.Error(t, r.Presign(context.Background(), "elsewhere", p.leaf.SerialNumber), "a CA it does not serve")

	req, err := xocsp.CreateRequest(p.leaf, p.ca, nil) // a SHA-1 certificate id, as openssl sends
	require.NoError(t, err)
	a, err := r.Respond(context.Background(), req)
	require.NoError(t, err)
	resp, err := xocsp.ParseResponseForCert(a.DER, p.leaf, p.ca)
	require.NoError(t, err)
	assert.Equal(t, xocsp.Good, resp.Status)
	assert.Equal(t, 1, src.lookups(), "the request is answered from the presigned answer")
}

func TestStaleCachedAnswersAreResignedBeforeNextUpdate(t *testing.T) {
	p := newPKI(t)
	src := &statuses{known: map[string]ocsp.Status{}}
	src.set(p.leaf.SerialNumber, ocsp.Status{Kind: ocsp.Good})
	clock := time.Now()
	r := ocsp.NewResponder(src, time.Hour)
	ocsp.SetClock(r, func() time.Time { return clock })
	require.NoError(t, r.AddIssuer(ocsp.Issuer{ID: "root", Certificate: p.ca, ResponderCert: p.responder, Signer: p.responderKey}))
	require.NoError(t, r.Presign(context.Background(), "root", p.leaf.SerialNumber))

	assert.Equal(t, 0, r.RefreshStale(context.Background(), 10), "a fresh answer stays")
	clock = clock.Add(31 * time.Minute)
	assert.Equal(t, 1, r.RefreshStale(context.Background(), 10), "past half its validity, it is signed again")
	assert.Equal(t, 2, src.lookups())
	assert.Equal(t, 0, r.RefreshStale(context.Background(), 10))
}
