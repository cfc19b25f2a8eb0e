package crl_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/api"
	"github.com/certledger/certledger/api/crl"
	"github.com/certledger/certledger/tests/testutil"
)

// pki is a root CA and a leaf it issued, made with in-memory keys: the HSM is another package's
// concern, CRL signing only needs a crypto.Signer.
type pki struct {
	ca     *x509.Certificate
	caKey  *ecdsa.PrivateKey
	leaf   *x509.Certificate
	dir    string // PEM files for openssl
	issuer crl.Issuer
}

func newPKI(t testing.TB) *pki {
	t.Helper()
	caKey := newKey(t)
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test Root", Organization: []string{"certledger"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature}
	ca := create(t, caTmpl, caTmpl, caKey.Public(), caKey)
	p := &pki{ca: ca, caKey: caKey, dir: t.TempDir(), issuer: crl.Issuer{ID: "root", Certificate: ca, Signer: caKey}}
	serial, _ := new(big.Int).SetString("7f3a9c0d11e24b6a8f0c5d9e2a1b3c4d", 16)
	p.leaf = p.issue(t, serial, "")
	writePEM(t, filepath.Join(p.dir, "ca.pem"), "CERTIFICATE", ca.Raw)
	writePEM(t, filepath.Join(p.dir, "leaf.pem"), "CERTIFICATE", p.leaf.Raw)
	return p
}

// issue makes a TLS server certificate with the given serial and, if set, CRL distribution point.
func (p *pki) issue(t testing.TB, serial *big.Int, crlURL string) *x509.Certificate {
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: "www.example.com"},
		DNSNames: []string{"www.example.com"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(12 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	if crlURL != "" {
		tmpl.CRLDistributionPoints = []string{crlURL}
	}
	return create(t, tmpl, p.ca, newKey(t).Public(), p.caKey)
}

func newKey(t testing.TB) *ecdsa.PrivateKey { return testutil.ECKey(t) }

func create(t testing.TB, tmpl, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) *x509.Certificate {
	return testutil.Certificate(t, tmpl, parent, pub, signer)
}

func writePEM(t testing.TB, path, blockType string, der []byte) {
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der}), 0o600))
}

// openssl runs the openssl command line and returns its combined output and error.
func openssl(args ...string) (string, error) {
	out, err := exec.Command("openssl", args...).CombinedOutput()
	return string(out), err
}

// opensslCRLText returns `openssl crl -text` of a DER CRL.
func opensslCRLText(t *testing.T, der []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "crl.der")
	require.NoError(t, os.WriteFile(path, der, 0o600))
	out, err := openssl("crl", "-inform", "DER", "-in", path, "-noout", "-text")
	require.NoError(t, err, out)
	return out
}

// source is a Source kept in memory, standing in for the CRL read model.
type source struct {
	mu    sync.Mutex
	revs  []crl.Revocation // in position order
	polls []int64          // afterPosition of every RevokedSince call
}

func (s *source) revoke(caID string, e crl.Entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revs = append(s.revs, crl.Revocation{CAID: caID, Entry: e, Position: int64(len(s.revs) + 1)})
}

func (s *source) RevokedByCA(_ context.Context, caID string) ([]crl.Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []crl.Entry
	for _, r := range s.revs {
		if r.CAID == caID {
			out = append(out, r.Entry)
		}
	}
	return out, nil
}

func (s *source) RevokedSince(_ context.Context, after int64, limit int) ([]crl.Revocation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.polls = append(s.polls, after)
	i := sort.Search(len(s.revs), func(i int) bool { return s.revs[i].Position > after })
	return append([]crl.Revocation(nil), s.revs[i:min(i+limit, len(s.revs))]...), nil
}

// positioned is a source that also reports its last position (crl.PositionSource).
type positioned struct{ *source }

func (s positioned) LastPosition(context.Context) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return int64(len(s.revs)), nil
}

// memNumbers is a NumberStore in memory, for benchmarks that measure CRL building alone.
type memNumbers struct {
	mu sync.Mutex
	n  map[string]int64
}

func (m *memNumbers) Next(_ context.Context, caID, kind string) (*big.Int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.n == nil {
		m.n = map[string]int64{}
	}
	m.n[caID+"/"+kind]++
	return big.NewInt(m.n[caID+"/"+kind]), nil
}

// pgNumbers returns a PostgresNumberStore in a fresh test database.
func pgNumbers(t testing.TB) *crl.PostgresNumberStore {
	store := crl.PostgresNumbers(pgtest.NewDatabase(t))
	require.NoError(t, store.EnsureSchema(context.Background()))
	return store
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newService returns a Service for p's CA, with quiet logs unless cfg has a logger.
func newService(t testing.TB, p *pki, src crl.Source, numbers crl.NumberStore, cfg crl.Config) *crl.Service {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = quietLogger()
	}
	svc, err := crl.NewService(src, numbers, cfg)
	require.NoError(t, err)
	require.NoError(t, svc.AddIssuer(p.issuer))
	return svc
}

// serve publishes svc's CRLs on an api server (with its problem+json errors) over loopback.
func serve(t testing.TB, svc *crl.Service) *httptest.Server {
	t.Helper()
	e, err := api.NewServer(api.Options{Logger: quietLogger()})
	require.NoError(t, err)
	crl.Register(e, svc)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}
