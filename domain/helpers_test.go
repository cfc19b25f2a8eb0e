package domain_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

// t0 is the time every test starts at.
var t0 = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

var (
	secOps   = domain.Actor{Subject: "sam", Roles: []domain.Role{domain.RoleSecOps}}
	secOps2  = domain.Actor{Subject: "sue", Roles: []domain.Role{domain.RoleSecOps}}
	devOps   = domain.Actor{Subject: "dana", Roles: []domain.Role{domain.RoleDevOps}, Team: "payments"}
	devOther = domain.Actor{Subject: "otto", Roles: []domain.Role{domain.RoleDevOps}, Team: "search"}
	viewer   = domain.Actor{Subject: "vic", Roles: []domain.Role{domain.RoleViewer}}
	admin    = domain.Actor{Subject: "ada", Roles: []domain.Role{domain.RoleAdmin}}
)

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return k
}

// csrPEM returns a PEM CSR signed by key, with the template's fields.
func csrPEM(t *testing.T, key crypto.Signer, tmpl x509.CertificateRequest) []byte {
	t.Helper()
	der, err := x509.CreateCertificateRequest(rand.Reader, &tmpl, key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der})
}

// dnsCSR returns a parsed P-256 CSR for cn and DNS names, and its key.
func dnsCSR(t *testing.T, cn string, names ...string) (*domain.CSR, crypto.Signer) {
	t.Helper()
	key := newKey(t)
	csr, err := domain.ParseCSR(csrPEM(t, key, x509.CertificateRequest{Subject: pkix.Name{CommonName: cn}, DNSNames: names}))
	require.NoError(t, err)
	return csr, key
}

func webSpec(team string, approval bool) domain.ProfileSpec {
	return domain.ProfileSpec{
		Name: "web-" + team, Team: team, AllowedDomains: []string{"example.com"},
		KeyTypes:        []domain.KeyType{domain.KeyECDSAP256, domain.KeyRSA2048},
		MaxValidityDays: 90, KeyUsages: []string{"digitalSignature", "keyEncipherment"},
		ExtKeyUsages: []string{"serverAuth"}, RequireCNInSANs: true, RequiresApproval: approval,
	}
}

// defineProfile defines a profile from spec and returns it folded.
func defineProfile(t *testing.T, spec domain.ProfileSpec) *domain.Profile {
	t.Helper()
	evs, err := (&domain.Profile{}).Define(uuid.NewString(), spec, secOps, t0)
	require.NoError(t, err)
	p, err := domain.NewProfileFromHistory(evs)
	require.NoError(t, err)
	return p
}

func caSpec(name string, pathLen, days int) domain.CASpec {
	return domain.CASpec{
		ID: uuid.NewString(), Name: name, CommonName: name, KeyType: domain.KeyECDSAP256,
		HSMKeyLabel: "key-" + name, PathLen: pathLen, ValidityDays: days,
		CRLURL: "http://pki.example.com/crl/" + name, OCSPURL: "http://pki.example.com/ocsp",
		IssuerURL: "http://pki.example.com/ca/" + name + ".der",
	}
}

// signCA signs a CA certificate for spec with a new Go key, by parent (nil for a root).
func signCA(t *testing.T, spec domain.CASpec, parent *domain.CA, parentKey crypto.Signer, at time.Time) ([]byte, crypto.Signer) {
	t.Helper()
	key := newKey(t)
	serial, err := domain.NewSerial(rand.Reader)
	require.NoError(t, err)
	tmpl, err := domain.CATemplate(domain.CATemplateInput{Spec: spec, Serial: serial, PublicKey: key.Public(), Parent: parent, At: at})
	require.NoError(t, err)
	issuer, signer := tmpl, crypto.Signer(key)
	if parent != nil {
		issuer, signer = parent.Certificate(), parentKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, key.Public(), signer)
	require.NoError(t, err)
	return der, key
}

// announced applies to agg the SigningStarted intent of der's serial, as the commands append
// it before they sign; a der that does not parse is left to the decision to refuse.
func announced[A interface{ Apply(domain.Event) error }](t *testing.T, agg A, der []byte) A {
	t.Helper()
	if cert, err := x509.ParseCertificate(der); err == nil {
		require.NoError(t, agg.Apply(domain.SigningStarted{Serial: cert.SerialNumber.Text(16), StartedAt: t0}))
	}
	return agg
}

// newRoot creates a root CA for spec and returns it, its key and its history.
func newRoot(t *testing.T, spec domain.CASpec) (*domain.CA, crypto.Signer, []domain.Event) {
	t.Helper()
	der, key := signCA(t, spec, nil, nil, t0)
	evs, err := announced(t, &domain.CA{}, der).CreateRoot(spec, der, secOps, t0)
	require.NoError(t, err)
	ca, err := domain.NewCAFromHistory(evs)
	require.NoError(t, err)
	return ca, key, evs
}

func newIntermediate(t *testing.T, spec domain.CASpec, parent *domain.CA, parentKey crypto.Signer) (*domain.CA, crypto.Signer) {
	t.Helper()
	der, key := signCA(t, spec, parent, parentKey, t0)
	evs, err := announced(t, &domain.CA{}, der).CreateIntermediate(spec, parent, der, secOps, t0)
	require.NoError(t, err)
	ca, err := domain.NewCAFromHistory(evs)
	require.NoError(t, err)
	return ca, key
}

// chain is a root and an intermediate CA with their Go keys.
type chain struct {
	root, inter       *domain.CA
	rootKey, interKey crypto.Signer
}

func newChain(t *testing.T) chain {
	t.Helper()
	root, rootKey, _ := newRoot(t, caSpec("Root", 1, 3650))
	inter, interKey := newIntermediate(t, caSpec("Issuing", 0, 1825), root, rootKey)
	return chain{root: root, inter: inter, rootKey: rootKey, interKey: interKey}
}

// issueLeaf builds and signs the leaf for csr with profile p by the intermediate.
func (c chain) issueLeaf(t *testing.T, csr *domain.CSR, p *domain.Profile, at time.Time, days int) []byte {
	t.Helper()
	serial, err := domain.NewSerial(rand.Reader)
	require.NoError(t, err)
	nb, na := domain.ValidityWindow(at, days)
	tmpl, err := domain.IssuanceTemplate(domain.IssuanceInput{Serial: serial, CSR: csr, Profile: p, Issuer: c.inter, NotBefore: nb, NotAfter: na})
	require.NoError(t, err)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.inter.Certificate(), csr.PublicKey(), c.interKey)
	require.NoError(t, err)
	return der
}

// stream is a certificate's history in a test; apply folds a decision's result into it.
type stream struct {
	t       *testing.T
	history []domain.Event
}

func newStream(t *testing.T) *stream { return &stream{t: t} }

// apply requires the decision to succeed, appends its events and returns the folded certificate.
func (s *stream) apply(evs []domain.Event, err error) *domain.Certificate {
	s.t.Helper()
	require.NoError(s.t, err)
	s.history = append(s.history, evs...)
	c, err := domain.NewCertificateFromHistory(s.history)
	require.NoError(s.t, err)
	return c
}

// snapshot returns a copy of the history.
func (s *stream) snapshot() []domain.Event { return append([]domain.Event(nil), s.history...) }

func kinds(vs []domain.Violation) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Field + "/" + v.Rule
	}
	return out
}
