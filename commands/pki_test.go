package commands_test

import (
	"context"
	"crypto/x509"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/tests/testutil"
)

func TestMain(m *testing.M) { hsmtest.Main(m) }

var (
	secops = commands.Caller{Actor: domain.Actor{Subject: "sec@example.com", Roles: []domain.Role{domain.RoleSecOps}}}
	devops = commands.Caller{Actor: domain.Actor{Subject: "dev@example.com", Roles: []domain.Role{domain.RoleDevOps}, Team: "web"}}
)

// ledger is command handlers on a real embedded event store and a real SoftHSM token.
type ledger struct {
	h     *commands.Application
	store commands.EventStore
}

func newLedger(t *testing.T) ledger {
	t.Helper()
	store := newStore(t)
	h, err := commands.NewApplication(store, hsm.KeyStore{HSM: hsmtest.Open(t)}, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(t, err)
	return ledger{h: h, store: store}
}

// createCA makes a root (parent uuid.Nil, ten years, path length 1) or an intermediate under
// parent (five years, path length 0).
func (l ledger) createCA(t *testing.T, parent uuid.UUID, kt domain.KeyType) uuid.UUID {
	t.Helper()
	id := uuid.New()
	cmd := commands.CreateCA{CommandID: uuid.New(), CAID: id, Name: "CA " + id.String()[:8],
		CommonName: "Test CA " + id.String()[:8], KeyType: kt, ParentID: parent, ValidityDays: 3650, PathLen: 1}
	if parent != uuid.Nil {
		cmd.ValidityDays, cmd.PathLen = 1825, 0
	}
	_, err := l.h.CreateCA.Handle(context.Background(), cmd, secops)
	require.NoError(t, err)
	return id
}

// defineProfile defines a profile of the web team for example.com names and returns its name.
func (l ledger) defineProfile(t *testing.T, approval bool) string {
	t.Helper()
	name := "web-" + uuid.NewString()[:8]
	_, err := l.h.DefineProfile.Handle(context.Background(), commands.DefineProfile{CommandID: uuid.New(), Spec: domain.ProfileSpec{
		Name: name, Team: "web", AllowedDomains: []string{"example.com"}, KeyTypes: []domain.KeyType{domain.KeyECDSAP256},
		MaxValidityDays: 90, KeyUsages: []string{"digitalSignature"}, ExtKeyUsages: []string{"serverAuth"},
		RequireCNInSANs: true, RequiresApproval: approval}}, secops)
	require.NoError(t, err)
	return name
}

// csrFor makes a PEM CSR for the DNS names with a fresh P-256 key.
func csrFor(t *testing.T, names ...string) []byte { return testutil.CSR(t, names...) }

// certificate folds a certificate's stream.
func (l ledger) certificate(t *testing.T, id uuid.UUID) (*domain.Certificate, []events.Envelope) {
	t.Helper()
	history, _, err := l.store.Load(context.Background(), events.StreamName(events.CategoryCertificate, id))
	require.NoError(t, err)
	reg, err := commands.NewRegistry()
	require.NoError(t, err)
	var past []domain.Event
	for _, env := range history {
		v, err := reg.Decode(env)
		require.NoError(t, err)
		past = append(past, v.(domain.Event))
	}
	cert, err := domain.NewCertificateFromHistory(past)
	require.NoError(t, err)
	return cert, history
}

// caCert returns a CA's certificate as recorded.
func (l ledger) caCert(t *testing.T, id uuid.UUID) *x509.Certificate {
	return l.ca(t, id).Certificate()
}

// ca folds a CA's stream.
func (l ledger) ca(t *testing.T, id uuid.UUID) *domain.CA {
	t.Helper()
	ca, err := l.h.Queries.CA(context.Background(), id)
	require.NoError(t, err)
	return ca
}

func TestIssueFromAnIntermediateInTheHSMAndRevoke(t *testing.T) {
	l := newLedger(t)
	ctx := context.Background()
	root := l.createCA(t, uuid.Nil, domain.KeyECDSAP384)
	inter := l.createCA(t, root, domain.KeyECDSAP256)
	profile := l.defineProfile(t, false)

	id := uuid.New()
	res, err := l.h.RequestCertificate.Handle(ctx, commands.RequestCertificate{CommandID: uuid.New(), CertificateID: id,
		CAID: inter.String(), Profile: profile, CSRPEM: csrFor(t, "www.example.com"), Team: "web", ValidityDays: 30}, devops)
	require.NoError(t, err)
	assert.Equal(t, 4, res.Appended, "requested, approved, signing started and issued in one command")

	cert, history := l.certificate(t, id)
	assert.Equal(t, domain.StatusIssued, cert.Status())
	assert.Equal(t, "dev@example.com", history[0].Metadata.Actor.Subject)
	leaf, err := x509.ParseCertificate(cert.CertificateDER())
	require.NoError(t, err)
	roots, inters := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(l.caCert(t, root))
	inters.AddCert(l.caCert(t, inter))
	_, err = leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inters, DNSName: "www.example.com"})
	require.NoError(t, err, "the chain root → intermediate → leaf, all signed in the HSM, verifies")
	assert.Equal(t, []string{"http://127.0.0.1:8080/crl/" + inter.String() + ".crl"}, leaf.CRLDistributionPoints)
	assert.Equal(t, []string{"http://127.0.0.1:8080/ocsp"}, leaf.OCSPServer)

	respDER, respLabel, _, ok := l.ca(t, inter).Responder()
	require.True(t, ok, "every new CA gets its delegated OCSP responder")
	resp, err := x509.ParseCertificate(respDER)
	require.NoError(t, err)
	require.NoError(t, resp.CheckSignatureFrom(l.caCert(t, inter)))
	assert.Equal(t, []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}, resp.ExtKeyUsage)
	assert.Equal(t, "ca-"+inter.String()+"-ocsp", respLabel)

	revoke := commands.Decision{CommandID: uuid.New(), CertificateID: id, Reason: "keyCompromise"}
	_, err = l.h.Revoke.Handle(ctx, revoke, devops)
	require.NoError(t, err)
	cert, _ = l.certificate(t, id)
	assert.Equal(t, domain.StatusRevoked, cert.Status())

	again, err := l.h.Revoke.Handle(ctx, revoke, devops)
	require.NoError(t, err, "the same command retried is replayed")
	assert.True(t, again.Replayed)
	_, err = l.h.Revoke.Handle(ctx, commands.Decision{CommandID: uuid.New(), CertificateID: id, Reason: "superseded"}, devops)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "revoking twice: %v", err)
}
