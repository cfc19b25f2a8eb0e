package domain_test

import (
	"crypto/rand"
	"crypto/sha256"
	"math/big"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

// signatureStream is a signature request's history in a test.
type signatureStream struct {
	t       *testing.T
	history []domain.Event
}

func (s *signatureStream) apply(evs []domain.Event, err error) *domain.SignatureRequest {
	s.t.Helper()
	require.NoError(s.t, err)
	s.history = append(s.history, evs...)
	r, err := domain.NewSignatureRequestFromHistory(s.history)
	require.NoError(s.t, err)
	return r
}

func sha256Input(content string) domain.SignatureInput {
	d := sha256.Sum256([]byte(content))
	return domain.SignatureInput{RequestID: uuid.NewString(), Digest: d[:], DigestAlgorithm: "sha256", Artifact: "app.tar.gz",
		Metadata: map[string]string{"commit": "abc123"}}
}

// sign prepares the signature of a ready request, signs its digest with the Go key and records it.
func sign(t *testing.T, s *signatureStream, r *domain.SignatureRequest, k codeKey) *domain.SignatureRequest {
	t.Helper()
	tbs := sha256.Sum256([]byte("signed attributes"))
	serial, err := domain.NewSerial(rand.Reader)
	require.NoError(t, err)
	p, err := r.PrepareSign(k.key, tbs[:], domain.DigestSHA256.Hash(), serial, t0)
	require.NoError(t, err)
	assert.Equal(t, domain.PurposeArtifact, p.Intent.Purpose)
	assert.Equal(t, k.key.ID(), p.Intent.CAID)
	r = s.apply(p.Events, nil)
	_, err = r.RecordSignature(k.key, p.Intent.Serial, tbs[:], []byte("not a signature"), nil, domain.DigestSHA256.Hash(), t0)
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "a signature that does not verify is not recorded: %v", err)
	sig, err := k.priv.Sign(rand.Reader, tbs[:], domain.DigestSHA256.Hash())
	require.NoError(t, err)
	return s.apply(r.RecordSignature(k.key, p.Intent.Serial, tbs[:], sig, []byte("cms"), domain.DigestSHA256.Hash(), t0))
}

func TestARequestWithoutApprovalIsReadyAtOnce(t *testing.T) {
	k := newCodeKey(t, newChain(t), keySpec(0))
	s := &signatureStream{t: t}
	r := s.apply((&domain.SignatureRequest{}).Request(sha256Input("v1"), k.key, devOps, t0))
	require.True(t, r.Ready())
	r = sign(t, s, r, k)
	assert.Equal(t, domain.SignatureStatusSigned, r.Status())
	_, err := r.Approve(k.key, secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "a signed request takes no approval")
}

func TestMOfNApprovalsNeverTheRequester(t *testing.T) {
	k := newCodeKey(t, newChain(t), keySpec(2))
	s := &signatureStream{t: t}
	requester := domain.Actor{Subject: "sam-dev", Roles: []domain.Role{domain.RoleDevOps, domain.RoleSecOps}, Team: "payments"}
	r := s.apply((&domain.SignatureRequest{}).Request(sha256Input("v2"), k.key, requester, t0))
	assert.Equal(t, domain.SignatureStatusPending, r.Status())
	assert.False(t, r.Ready())
	r = s.apply(r.Approve(k.key, secOps, t0))
	assert.False(t, r.Ready(), "one of two")
	_, err := r.Approve(k.key, secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "the same approver twice: %v", err)
	_, err = r.Approve(k.key, requester, t0)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "the requester: %v", err)
	_, err = r.Approve(k.key, devOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "not SEC_OPS: %v", err)
	_, err = r.PrepareSign(k.key, make([]byte, 32), domain.DigestSHA256.Hash(), domainSerial(t), t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "nothing is signed before the approvals: %v", err)
	r = s.apply(r.Approve(k.key, secOps2, t0))
	require.True(t, r.Ready())
	r = sign(t, s, r, k)
	assert.Equal(t, []string{"sam", "sue"}, r.Approvers())
}

func TestApproversMustBeTheNamedOnes(t *testing.T) {
	k := newCodeKey(t, newChain(t), keySpec(1, "sue"))
	s := &signatureStream{t: t}
	r := s.apply((&domain.SignatureRequest{}).Request(sha256Input("v3"), k.key, devOps, t0))
	_, err := r.Approve(k.key, secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "%v", err)
	r = s.apply(r.Approve(k.key, secOps2, t0))
	assert.True(t, r.Ready())
	_, err = r.Refuse("", secOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "a refusal needs a reason")
	_, err = r.Refuse("no", devOps, t0)
	assert.True(t, domain.IsKind(err, domain.KindForbidden))
	r = s.apply(r.Refuse("not this build", secOps, t0))
	assert.Equal(t, domain.SignatureStatusRefused, r.Status())
	_, err = r.PrepareSign(k.key, make([]byte, 32), domain.DigestSHA256.Hash(), domainSerial(t), t0)
	assert.True(t, domain.IsKind(err, domain.KindConflict), "a refused request is never signed")
}

func TestRequestsAreRefusedBeforeAnythingIsRecorded(t *testing.T) {
	k := newCodeKey(t, newChain(t), keySpec(0))
	in := func(f func(*domain.SignatureInput)) domain.SignatureInput {
		i := sha256Input("x")
		f(&i)
		return i
	}
	revoked := newCodeKey(t, newChain(t), keySpec(0))
	revEvs, err := revoked.key.Revoke(domain.ReasonKeyCompromise, nil, secOps, t0)
	require.NoError(t, err)
	require.NoError(t, revoked.key.Apply(revEvs[0]))
	for _, tc := range []struct {
		name string
		in   domain.SignatureInput
		key  *domain.SigningKey
		by   domain.Actor
		kind domain.ErrorKind
	}{
		{"SHA-1", in(func(i *domain.SignatureInput) { i.DigestAlgorithm, i.Digest = "sha1", make([]byte, 20) }), k.key, devOps, domain.KindPolicy},
		{"MD5", in(func(i *domain.SignatureInput) { i.DigestAlgorithm, i.Digest = "md5", make([]byte, 16) }), k.key, devOps, domain.KindPolicy},
		{"wrong length", in(func(i *domain.SignatureInput) { i.Digest = i.Digest[:31] }), k.key, devOps, domain.KindInvalid},
		{"sha512 length as sha384", in(func(i *domain.SignatureInput) { i.DigestAlgorithm, i.Digest = "sha384", make([]byte, 64) }), k.key, devOps, domain.KindInvalid},
		{"no artifact name", in(func(i *domain.SignatureInput) { i.Artifact = "" }), k.key, devOps, domain.KindInvalid},
		{"another team", sha256Input("x"), k.key, devOther, domain.KindForbidden},
		{"a viewer", sha256Input("x"), k.key, viewer, domain.KindForbidden},
		{"no key", sha256Input("x"), &domain.SigningKey{}, devOps, domain.KindNotFound},
		{"revoked key", sha256Input("x"), revoked.key, devOps, domain.KindConflict},
	} {
		_, err := (&domain.SignatureRequest{}).Request(tc.in, tc.key, tc.by, t0)
		assert.True(t, domain.IsKind(err, tc.kind), "%s: want %s, got %v", tc.name, tc.kind, err)
	}
}

func domainSerial(t *testing.T) *big.Int {
	t.Helper()
	s, err := domain.NewSerial(rand.Reader)
	require.NoError(t, err)
	return s
}
