package domain_test

import (
	"crypto/rand"
	"crypto/x509"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

func TestCreateRootCA(t *testing.T) {
	spec := caSpec("Root", 1, 3650)
	der, _ := signCA(t, spec, nil, nil, t0)

	evs, err := announced(t, &domain.CA{}, der).CreateRoot(spec, der, secOps, t0)
	require.NoError(t, err)
	require.Len(t, evs, 1)
	created := evs[0].(domain.CARootCreated)
	assert.False(t, created.Override)
	ca, err := domain.NewCAFromHistory(evs)
	require.NoError(t, err)

	assert.True(t, ca.IsRoot())
	assert.Equal(t, domain.CAStatusActive, ca.Status())
	assert.Equal(t, spec.ID, ca.ID())
	assert.Equal(t, "Root", ca.CommonName())
	assert.Equal(t, domain.KeyECDSAP256, ca.KeyType())
	assert.Equal(t, "key-Root", ca.HSMKeyLabel())
	assert.Equal(t, 1, ca.PathLen())
	assert.Equal(t, ca.Certificate().SerialNumber.Text(16), ca.Serial())
	assert.Equal(t, der, ca.CertificateDER())
	assert.NoError(t, ca.CheckCanIssue(t0))

	_, err = ca.CreateRoot(spec, der, secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "create twice: %v", err)
}

func TestCreateRootCARefusals(t *testing.T) {
	spec := caSpec("Root", 1, 3650)
	der, _ := signCA(t, spec, nil, nil, t0)
	otherRoot, otherKey, _ := newRoot(t, caSpec("Other", 1, 3650))
	signedByOther, _ := signCA(t, caSpec("Root", 0, 365), otherRoot, otherKey, t0)
	renamed := spec
	renamed.CommonName = "Another name"

	tests := []struct {
		name string
		spec domain.CASpec
		der  []byte
		by   domain.Actor
		at   time.Time
		kind domain.ErrorKind
	}{
		{"devops may not", spec, der, devOps, t0, domain.KindForbidden},
		{"viewer may not", spec, der, viewer, t0, domain.KindForbidden},
		{"invalid spec", domain.CASpec{}, der, secOps, t0, domain.KindInvalid},
		{"garbage certificate", spec, []byte("garbage"), secOps, t0, domain.KindInvalid},
		{"certificate for another name", renamed, der, secOps, t0, domain.KindInvalid},
		{"not self-signed", caSpec("Root", 0, 365), signedByOther, secOps, t0, domain.KindInvalid},
		{"expired certificate", spec, der, secOps, t0.AddDate(11, 0, 0), domain.KindInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := announced(t, &domain.CA{}, tc.der).CreateRoot(tc.spec, tc.der, tc.by, tc.at)
			assert.Equal(t, tc.kind, domain.KindOf(err), "%v", err)
		})
	}

	t.Run("spec problems are all listed", func(t *testing.T) {
		err := domain.CASpec{PathLen: -1, CRLURL: "ftp://x"}.Validate()
		assert.ElementsMatch(t, []string{"id/uuid", "name/length", "common_name/length", "key_type/unknown",
			"hsm_key_label/length", "path_len/range", "validity_days/range", "crl_url/http_url", "ocsp_url/http_url"},
			kinds(domain.ViolationsOf(err)))
	})

	t.Run("admin creates by override", func(t *testing.T) {
		evs, err := announced(t, &domain.CA{}, der).CreateRoot(spec, der, admin, t0)
		require.NoError(t, err)
		assert.True(t, evs[0].(domain.CARootCreated).Override)
	})
}

func TestCreateIntermediateCA(t *testing.T) {
	c := newChain(t)
	assert.False(t, c.inter.IsRoot())
	assert.Equal(t, c.root.ID(), c.inter.ParentID())
	assert.Equal(t, c.root.Certificate().SubjectKeyId, c.inter.Certificate().AuthorityKeyId)
	assert.Equal(t, []string{c.root.CRLURL()}, c.inter.Certificate().CRLDistributionPoints)
	assert.Equal(t, []string{c.root.OCSPURL()}, c.inter.Certificate().OCSPServer)
}

func TestCreateIntermediateCARefusals(t *testing.T) {
	root, rootKey, history := newRoot(t, caSpec("Root", 1, 3650))
	spec := caSpec("Issuing", 0, 365)
	der, _ := signCA(t, spec, root, rootKey, t0)
	revokedEvs, err := root.Revoke(domain.ReasonCessationOfOperation, nil, secOps, t0)
	require.NoError(t, err)
	revoked, err := domain.NewCAFromHistory(append(history, revokedEvs...))
	require.NoError(t, err)
	leafRoot, leafRootKey, _ := newRoot(t, caSpec("Flat", 0, 3650))
	selfSigned, _ := signCA(t, spec, nil, nil, t0)
	tooLong := spec
	tooLong.ValidityDays = 4000
	tooLongDER := signOutliving(t, tooLong, root, rootKey)

	tests := []struct {
		name   string
		spec   domain.CASpec
		parent *domain.CA
		der    []byte
		at     time.Time
		kind   domain.ErrorKind
		rule   string
	}{
		{"no parent", spec, &domain.CA{}, der, t0, domain.KindNotFound, ""},
		{"revoked parent", spec, revoked, der, t0, domain.KindConflict, ""},
		{"expired parent", spec, root, der, t0.AddDate(11, 0, 0), domain.KindConflict, ""},
		{"parent path length 0", spec, leafRoot, mustSign(t, spec, leafRoot, leafRootKey), t0, domain.KindPolicy, "path_len/parent_path_len_zero"},
		{"path length too long", caSpec("Issuing", 1, 365), root, der, t0, domain.KindPolicy, "path_len/path_len_too_long"},
		{"not signed by the parent", spec, root, selfSigned, t0, domain.KindInvalid, ""},
		{"outlives the parent", tooLong, root, tooLongDER, t0, domain.KindPolicy, "validity_days/outlives_parent"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := announced(t, &domain.CA{}, tc.der).CreateIntermediate(tc.spec, tc.parent, tc.der, secOps, tc.at)
			assert.Equal(t, tc.kind, domain.KindOf(err), "%v", err)
			if tc.rule != "" {
				assert.Equal(t, []string{tc.rule}, kinds(domain.ViolationsOf(err)))
			}
		})
	}
}

// signOutliving signs an intermediate that ends after its parent, which CATemplate refuses.
func signOutliving(t *testing.T, spec domain.CASpec, parent *domain.CA, parentKey any) []byte {
	t.Helper()
	short := spec
	short.ValidityDays = 365
	key := newKey(t)
	serial, err := domain.NewSerial(rand.Reader)
	require.NoError(t, err)
	tmpl, err := domain.CATemplate(domain.CATemplateInput{Spec: short, Serial: serial, PublicKey: key.Public(), Parent: parent, At: t0})
	require.NoError(t, err)
	tmpl.NotAfter = parent.NotAfter().Add(time.Hour)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent.Certificate(), key.Public(), parentKey)
	require.NoError(t, err)
	return der
}

// mustSign signs a CA certificate for spec by parent without CATemplate's parent checks.
func mustSign(t *testing.T, spec domain.CASpec, parent *domain.CA, parentKey any) []byte {
	t.Helper()
	key := newKey(t)
	serial, err := domain.NewSerial(rand.Reader)
	require.NoError(t, err)
	tmpl, err := domain.CATemplate(domain.CATemplateInput{Spec: spec, Serial: serial, PublicKey: key.Public(), At: t0})
	require.NoError(t, err)
	tmpl.AuthorityKeyId = parent.Certificate().SubjectKeyId
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent.Certificate(), key.Public(), parentKey)
	require.NoError(t, err)
	return der
}

func TestRevokeCA(t *testing.T) {
	root, _, history := newRoot(t, caSpec("Root", 1, 3650))
	compromised := t0.Add(-time.Hour)

	_, err := root.Revoke(domain.ReasonKeyCompromise, &compromised, devOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "devops: %v", err)
	_, err = root.Revoke(domain.ReasonCertificateHold, nil, secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindPolicy), "hold: %v", err)
	_, err = (&domain.CA{}).Revoke(domain.ReasonKeyCompromise, nil, secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindNotFound), "no CA: %v", err)

	evs, err := root.Revoke(domain.ReasonKeyCompromise, &compromised, secOps, t0)
	require.NoError(t, err)
	ev := evs[0].(domain.CARevoked)
	assert.Equal(t, root.Serial(), ev.Serial)
	assert.Equal(t, compromised, *ev.InvalidityDate)
	revoked, err := domain.NewCAFromHistory(append(history, evs...))
	require.NoError(t, err)
	assert.Equal(t, domain.CAStatusRevoked, revoked.Status())
	at, reason := revoked.RevokedAt()
	assert.Equal(t, t0, at)
	assert.Equal(t, domain.ReasonKeyCompromise, reason)
	assert.True(t, domain.IsKind(revoked.CheckCanIssue(t0), domain.KindConflict))

	_, err = revoked.Revoke(domain.ReasonSuperseded, nil, secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "revoke twice: %v", err)
	assert.Contains(t, err.Error(), "already revoked")
}

func TestCAApplyRefusesOutOfOrderEvents(t *testing.T) {
	_, err := domain.NewCAFromHistory([]domain.Event{domain.CARevoked{}})
	assert.Error(t, err, "revoked before created")
	_, err = domain.NewCAFromHistory([]domain.Event{domain.CARootCreated{CADetails: domain.CADetails{CertificateDER: []byte("x")}}})
	assert.Error(t, err, "unparsable certificate")
	_, err = domain.NewCAFromHistory([]domain.Event{domain.ProfileDefined{}})
	assert.Error(t, err, "not a CA event")
}
