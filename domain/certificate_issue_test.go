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

func TestIssueChecksTheCertificate(t *testing.T) {
	f := newFixture(t, webSpec("payments", true))
	approved := f.historyIn(t, domain.StatusApproved)
	otherCSR, _ := dnsCSR(t, "www.example.com", "www.example.com", "api.example.com")
	otherNames, _ := dnsCSR(t, "www.example.com", "www.example.com")
	rootSigned := func() []byte {
		serial, err := domain.NewSerial(rand.Reader)
		require.NoError(t, err)
		nb, na := domain.ValidityWindow(t0, 30)
		tmpl, err := domain.IssuanceTemplate(domain.IssuanceInput{Serial: serial, CSR: f.csr, Profile: f.profile, Issuer: f.root, NotBefore: nb, NotAfter: na})
		require.NoError(t, err)
		der, err := x509.CreateCertificate(rand.Reader, tmpl, f.root.Certificate(), f.csr.PublicKey(), f.rootKey)
		require.NoError(t, err)
		return der
	}()

	tests := []struct {
		name   string
		der    []byte
		issuer *domain.CA
		kind   domain.ErrorKind
		rule   string
	}{
		{"matching", f.issueLeaf(t, f.csr, f.profile, t0, 30), f.inter, "", ""},
		{"garbage", []byte("garbage"), f.inter, domain.KindInvalid, ""},
		{"another key", f.issueLeaf(t, otherCSR, f.profile, t0, 30), f.inter, domain.KindInvalid, "certificate/public_key"},
		{"other names", f.issueLeaf(t, otherNames, f.profile, t0, 30), f.inter, domain.KindInvalid, "certificate/subject_alt_names"},
		{"longer than requested", f.issueLeaf(t, f.csr, f.profile, t0, 60), f.inter, domain.KindInvalid, "certificate/validity"},
		{"signed by another CA", rootSigned, f.inter, domain.KindInvalid, "certificate/issuer"},
		{"another CA than requested", rootSigned, f.root, domain.KindInvalid, ""},
		{"no CA", rootSigned, nil, domain.KindNotFound, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := domain.NewCertificateFromHistory(approved)
			require.NoError(t, err)
			_, err = announced(t, c, tc.der).Issue(tc.der, tc.issuer, t0)
			require.Equal(t, tc.kind, domain.KindOf(err), "%v", err)
			if tc.rule != "" {
				assert.Contains(t, kinds(domain.ViolationsOf(err)), tc.rule)
			}
		})
	}
	t.Run("issuer revoked after the request", func(t *testing.T) {
		evs, err := f.inter.Revoke(domain.ReasonCACompromise, nil, secOps, t0)
		require.NoError(t, err)
		issuer := *f.inter
		require.NoError(t, issuer.Apply(evs[0]))
		c, err := domain.NewCertificateFromHistory(approved)
		require.NoError(t, err)
		der := f.issueLeaf(t, f.csr, f.profile, t0, 30)
		_, err = announced(t, c, der).Issue(der, &issuer, t0)
		assert.True(t, domain.IsKind(err, domain.KindConflict), "%v", err)
	})
}

func TestRevokeCertificate(t *testing.T) {
	f := newFixture(t, webSpec("payments", true))
	s := newStream(t)
	in := f.input()
	c := s.apply((&domain.Certificate{}).Request(in, devOps, t0)) // auto-approved for its team
	der := f.issueLeaf(t, f.csr, f.profile, t0, 30)
	c = s.apply(announced(t, c, der).Issue(der, f.inter, t0))
	at := t0.Add(time.Hour)
	before, after := at.Add(-time.Hour), at.Add(time.Hour)
	tests := []struct {
		name       string
		reason     string
		invalidity *time.Time
		by         domain.Actor
		kind       domain.ErrorKind
		rules      []string
		override   bool
	}{
		{name: "key compromise with invalidity date", reason: "keyCompromise", invalidity: &before, by: devOps},
		{name: "superseded", reason: "superseded", by: secOps},
		{name: "unspecified by default", reason: "", by: secOps},
		{name: "admin by override", reason: "cessationOfOperation", by: admin, override: true},
		{name: "devops of another team", reason: "superseded", by: devOther, kind: domain.KindForbidden},
		{name: "viewer", reason: "superseded", by: viewer, kind: domain.KindForbidden},
		{name: "invalidity date without key compromise", reason: "affiliationChanged", invalidity: &before, by: secOps,
			kind: domain.KindPolicy, rules: []string{"invalidity_date/key_compromise_only"}},
		{name: "invalidity date in the future", reason: "keyCompromise", invalidity: &after, by: secOps,
			kind: domain.KindPolicy, rules: []string{"invalidity_date/invalidity_in_future"}},
		{name: "hold is refused", reason: "certificateHold", by: secOps, kind: domain.KindPolicy, rules: []string{"reason/reason_not_supported"}},
		{name: "removeFromCRL is refused", reason: "removeFromCRL", by: secOps, kind: domain.KindPolicy, rules: []string{"reason/reason_not_supported"}},
		{name: "every problem listed", reason: "certificateHold", invalidity: &after, by: secOps, kind: domain.KindPolicy,
			rules: []string{"reason/reason_not_supported", "invalidity_date/key_compromise_only", "invalidity_date/invalidity_in_future"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reason, err := domain.ParseRevocationReason(tc.reason)
			require.NoError(t, err)
			evs, err := c.Revoke(reason, tc.invalidity, tc.by, at)
			require.Equal(t, tc.kind, domain.KindOf(err), "%v", err)
			if err != nil {
				assert.ElementsMatch(t, tc.rules, kinds(domain.ViolationsOf(err)))
				return
			}
			e := evs[0].(domain.CertificateRevoked)
			assert.Equal(t, reason, e.Reason)
			assert.Equal(t, tc.override, e.Override)
			assert.Equal(t, c.Serial(), e.Serial)
			assert.Equal(t, at, e.RevokedAt)
			if tc.invalidity != nil {
				assert.Equal(t, *tc.invalidity, *e.InvalidityDate)
			}
		})
	}
}

func TestExpireCertificate(t *testing.T) {
	f := newFixture(t, webSpec("payments", true))
	c, err := domain.NewCertificateFromHistory(f.historyIn(t, domain.StatusIssued))
	require.NoError(t, err)

	_, err = c.Expire(c.NotAfter().Add(-time.Second))
	assert.True(t, domain.IsKind(err, domain.KindConflict), "still valid: %v", err)

	evs, err := c.Expire(c.NotAfter())
	require.NoError(t, err)
	assert.Equal(t, c.NotAfter(), evs[0].(domain.CertificateExpired).ExpiredAt)
}
