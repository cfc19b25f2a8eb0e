package ocsp_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	xocsp "golang.org/x/crypto/ocsp"

	"github.com/certledger/certledger/api/ocsp"
	"github.com/certledger/certledger/domain"
)

// feed is a RevocationFeed and IssuerSource kept in memory, standing in for the read models.
type feed struct {
	mu      sync.Mutex
	issuers []ocsp.Issuer
	revs    []ocsp.Revocation
	issued  []ocsp.Issuance
}

// since returns up to limit items after a position, as the read model's feeds do.
func since[T any](items []T, position func(T) int64, after int64, limit int) []T {
	var out []T
	for _, it := range items {
		if position(it) > after && len(out) < limit {
			out = append(out, it)
		}
	}
	return out
}

func (f *feed) IssuedSince(_ context.Context, after int64, limit int) ([]ocsp.Issuance, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return since(f.issued, func(i ocsp.Issuance) int64 { return i.Position }, after, limit), nil
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
	return since(f.revs, func(r ocsp.Revocation) int64 { return r.Position }, after, limit), nil
}

// goodLeaf is a responder for p's CA whose read model says the leaf is good.
func goodLeaf(t *testing.T, p *pki) (*ocsp.Responder, *statuses, ocsp.Issuer) {
	src := &statuses{known: map[string]domain.SerialStatus{}}
	src.set(p.leaf.SerialNumber, domain.SerialStatus{Kind: domain.SerialGood})
	return ocsp.NewResponder(src, time.Hour), src, ocsp.Issuer{ID: "root", Certificate: p.ca, ResponderCert: p.responder, Signer: p.responderKey}
}

// follow runs Follow over f until the test ends.
func follow(t *testing.T, r *ocsp.Responder, f *feed) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go ocsp.Follow(ctx, r, f, f, 20*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func TestFollowLoadsIssuersAndInvalidatesRevokedAnswers(t *testing.T) {
	p := newPKI(t)
	r, src, iss := goodLeaf(t, p)
	f := &feed{issuers: []ocsp.Issuer{iss}}
	follow(t, r, f)
	ctx := context.Background()

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

	src.set(p.leaf.SerialNumber, domain.SerialStatus{Kind: domain.SerialRevoked, RevokedAt: time.Now(), Reason: domain.ReasonSuperseded})
	assert.Equal(t, xocsp.Good, status(), "the cached answer stands until the revocation is projected")
	f.mu.Lock()
	f.revs = append(f.revs, ocsp.Revocation{IssuerID: "root", Serial: p.leaf.SerialNumber, Position: 7})
	f.mu.Unlock()
	require.Eventually(t, func() bool { return status() == xocsp.Revoked }, 5*time.Second, 10*time.Millisecond)
}

func TestFollowPresignsNewCertificates(t *testing.T) {
	p := newPKI(t)
	r, src, iss := goodLeaf(t, p)
	f := &feed{issuers: []ocsp.Issuer{iss}}
	follow(t, r, f)

	f.mu.Lock()
	f.issued = append(f.issued, ocsp.Issuance{IssuerID: "root", Serial: p.leaf.SerialNumber, Position: 3})
	f.mu.Unlock()
	require.Eventually(t, func() bool { return src.lookups() == 1 }, 5*time.Second, 10*time.Millisecond,
		"the new certificate's answer is signed without any request")
}

func TestAPresignedAnswerServesRequests(t *testing.T) {
	p := newPKI(t)
	r, src, iss := goodLeaf(t, p)
	require.NoError(t, r.AddIssuer(iss))
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
	r, src, iss := goodLeaf(t, p)
	clock := time.Now()
	ocsp.SetClock(r, func() time.Time { return clock })
	require.NoError(t, r.AddIssuer(iss))
	require.NoError(t, r.Presign(context.Background(), "root", p.leaf.SerialNumber))

	assert.Equal(t, 0, r.RefreshStale(context.Background(), 10), "a fresh answer stays")
	clock = clock.Add(31 * time.Minute)
	assert.Equal(t, 1, r.RefreshStale(context.Background(), 10), "past half its validity, it is signed again")
	assert.Equal(t, 2, src.lookups())
	assert.Equal(t, 0, r.RefreshStale(context.Background(), 10))
}
