package domain_test

import (
	"encoding/hex"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/domain"
)

// indirectData is the SpcIndirectDataContent `osslsigncode extract-data -h sha256` gave for
// a tiny Go PE, and peHash the image hash in it.
const (
	indirectData = "30693034060a2b06010401823702010f302603020780a020a21e801c003c003c003c004f00620073006f006c0065" +
		"00740065003e003e003e3031300d0609608648016503040201050004205c9ae689554bf227d76b25e99b8ca359561c1b9cd9b725113e0c67a4085a3063"
	peHash = "5c9ae689554bf227d76b25e99b8ca359561c1b9cd9b725113e0c67a4085a3063"
)

func authenticodeInput(t *testing.T) domain.SignatureInput {
	content, err := hex.DecodeString(indirectData)
	require.NoError(t, err)
	digest, err := hex.DecodeString(peHash)
	require.NoError(t, err)
	return domain.SignatureInput{RequestID: uuid.NewString(), Kind: "authenticode", Digest: digest, DigestAlgorithm: "sha256",
		Content: content, Artifact: "app.exe"}
}

// TestAnAuthenticodeRequestRecordsThePEHashItSigns checks that the request's digest must be
// the image hash its content holds, and that ArtifactSigned says what was signed.
func TestAnAuthenticodeRequestRecordsThePEHashItSigns(t *testing.T) {
	k := newCodeKey(t, newChain(t), keySpec(0))
	s := &signatureStream{t: t}
	in := authenticodeInput(t)
	r := s.apply((&domain.SignatureRequest{}).Request(in, k.key, devOps, t0))
	assert.Equal(t, domain.SignatureKindAuthenticode, r.Requested().Kind)
	assert.Equal(t, in.Content, r.Requested().Content)
	r = sign(t, s, r, k)
	signed, ok := r.Signed()
	require.True(t, ok)
	assert.Equal(t, domain.SignatureKindAuthenticode, signed.Kind)
	assert.Equal(t, "app.exe", signed.Artifact)
	assert.Equal(t, in.Digest, signed.Digest)
	assert.Equal(t, domain.DigestSHA256, signed.DigestAlgorithm)

	for name, change := range map[string]func(*domain.SignatureInput){
		"another digest":        func(in *domain.SignatureInput) { in.Digest = make([]byte, 32) },
		"no content":            func(in *domain.SignatureInput) { in.Content = nil },
		"not indirect data":     func(in *domain.SignatureInput) { in.Content = []byte{0x30, 0x00} },
		"content for cms":       func(in *domain.SignatureInput) { in.Kind = "cms" },
		"an unknown kind":       func(in *domain.SignatureInput) { in.Kind = "jar" },
		"another digest length": func(in *domain.SignatureInput) { in.DigestAlgorithm, in.Digest = "sha384", make([]byte, 48) },
	} {
		bad := authenticodeInput(t)
		change(&bad)
		_, err := (&domain.SignatureRequest{}).Request(bad, k.key, devOps, t0)
		assert.True(t, domain.IsKind(err, domain.KindInvalid), "%s: %v", name, err)
	}
}

// TestACMSRequestIsOfTheEmptyKind keeps the detached signature's record as it was, with
// what was signed now on ArtifactSigned too.
func TestACMSRequestIsOfTheEmptyKind(t *testing.T) {
	k := newCodeKey(t, newChain(t), keySpec(0))
	s := &signatureStream{t: t}
	in := sha256Input("v9")
	in.Kind = "cms"
	r := sign(t, s, s.apply((&domain.SignatureRequest{}).Request(in, k.key, devOps, t0)), k)
	signed, _ := r.Signed()
	assert.Equal(t, domain.SignatureKindCMS, signed.Kind)
	assert.Equal(t, in.Digest, signed.Digest)
	assert.Equal(t, "app.tar.gz", signed.Artifact)
}
