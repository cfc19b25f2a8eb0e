package domain_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

// codeKey is a signing key created under the chain's intermediate, with its Go private key.
type codeKey struct {
	key    *domain.SigningKey
	priv   crypto.Signer
	events []domain.Event
}

func keySpec(approvals int, approvers ...string) domain.SigningKeySpec {
	return domain.SigningKeySpec{ID: uuid.NewString(), Name: "release", Team: "payments", Usage: domain.UsageCode,
		KeyType: domain.KeyECDSAP256, HSMKeyLabel: "signingkey-test", CommonName: "Payments release signing",
		ValidityDays: 365, Policy: domain.SigningPolicy{Approvals: approvals, Approvers: approvers}}
}

// newCodeKey runs PrepareCreate, signs the template with the intermediate's key and Creates.
func newCodeKey(t *testing.T, c chain, spec domain.SigningKeySpec) codeKey {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	k := &domain.SigningKey{}
	serial, err := domain.NewSerial(rand.Reader)
	require.NoError(t, err)
	p, err := k.PrepareCreate(spec, c.inter, priv.Public(), serial, secOps, t0)
	require.NoError(t, err)
	assert.Equal(t, domain.PurposeSigningKey, p.Intent.Purpose)
	assert.Equal(t, c.inter.HSMKeyLabel(), p.SignerLabel)
	der, err := x509.CreateCertificate(rand.Reader, p.Template, p.Parent, p.PublicKey, c.interKey)
	require.NoError(t, err)
	_, err = k.Create(spec, c.inter, []*x509.Certificate{c.root.Certificate()}, priv.Public(), der, secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "a certificate never announced is not recorded: %v", err)
	for _, e := range p.Events {
		require.NoError(t, k.Apply(e))
	}
	evs, err := k.Create(spec, c.inter, []*x509.Certificate{c.root.Certificate()}, priv.Public(), der, secOps, t0)
	require.NoError(t, err)
	history := append(p.Events, evs...)
	k, err = domain.NewSigningKeyFromHistory(history)
	require.NoError(t, err)
	return codeKey{key: k, priv: priv, events: history}
}

func TestASigningKeyGetsACodeSigningCertificateFromItsCA(t *testing.T) {
	c := newChain(t)
	k := newCodeKey(t, c, keySpec(0))
	cert := k.key.Certificate()
	assert.Equal(t, []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}, cert.ExtKeyUsage)
	assert.Equal(t, x509.KeyUsageDigitalSignature, cert.KeyUsage)
	assert.False(t, cert.IsCA)
	require.NoError(t, cert.CheckSignatureFrom(c.inter.Certificate()))
	assert.Equal(t, domain.KeyStatusActive, k.key.Status())
	assert.Len(t, k.key.Chain(), 2, "the issuing CA and the root")
	assert.Equal(t, []string{"payments"}, k.key.Policy().Teams, "the key's team by default")
	assert.Len(t, k.key.Policy().DigestAlgorithms, 3)
}

func TestATimestampKeyHasOnlyCriticalTimeStamping(t *testing.T) {
	c := newChain(t)
	spec := keySpec(0)
	spec.Usage = domain.UsageTimestamp
	cert := newCodeKey(t, c, spec).key.Certificate()
	assert.Equal(t, []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}, cert.ExtKeyUsage)
	for _, ext := range cert.Extensions {
		if ext.Id.String() == "2.5.29.37" {
			assert.True(t, ext.Critical)
		}
	}
}

func TestSigningKeyCreationRefusesBadSpecsAndCallers(t *testing.T) {
	bad := keySpec(0)
	bad.KeyType, bad.ValidityDays = domain.KeyRSA2048, 0
	bad.Policy = domain.SigningPolicy{Approvals: 3, Approvers: []string{"sue"}, DigestAlgorithms: []domain.DigestAlgorithm{"sha1"}}
	_, _, err := domain.CheckSigningKeyCreation(bad, secOps)
	require.True(t, domain.IsKind(err, domain.KindInvalid), "%v", err)
	assert.ElementsMatch(t, []string{"key_type/unsupported", "validity_days/range",
		"policy.digest_algorithms/digest_algorithm", "policy.approvals/more_than_approvers"}, kinds(domain.ViolationsOf(err)))
	_, _, err = domain.CheckSigningKeyCreation(keySpec(0), devOps)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "%v", err)
}

func TestKeyLifecycleDisableEnableRevoke(t *testing.T) {
	c := newChain(t)
	k := newCodeKey(t, c, keySpec(0))
	apply := func(evs []domain.Event, err error) {
		t.Helper()
		require.NoError(t, err)
		for _, e := range evs {
			require.NoError(t, k.key.Apply(e))
		}
	}
	_, err := k.key.Disable("", devOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindForbidden))
	apply(k.key.Disable("incident", secOps, t0))
	assert.True(t, domain.IsKind(k.key.CheckCanSign(t0), domain.KindConflict))
	apply(k.key.Enable(secOps, t0))
	require.NoError(t, k.key.CheckCanSign(t0))
	apply(k.key.Revoke(domain.ReasonKeyCompromise, nil, secOps, t0))
	assert.Equal(t, domain.KeyStatusRevoked, k.key.Status())
	assert.True(t, domain.IsKind(k.key.CheckCanSign(t0), domain.KindConflict))
	_, err = k.key.Enable(secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "revocation is final")
}

func TestDigestAlgorithms(t *testing.T) {
	for _, weak := range []string{"sha1", "SHA-1", "md5"} {
		_, err := domain.ParseDigestAlgorithm(weak)
		assert.True(t, domain.IsKind(err, domain.KindPolicy), weak)
	}
	_, err := domain.ParseDigestAlgorithm("sha3-256")
	assert.True(t, domain.IsKind(err, domain.KindInvalid))
	alg, err := domain.ParseDigestAlgorithm("SHA-384")
	require.NoError(t, err)
	assert.Equal(t, domain.DigestSHA384, alg)
	d := sha256.Sum256([]byte("x"))
	assert.True(t, domain.IsKind(alg.CheckDigest(d[:]), domain.KindInvalid))
}
