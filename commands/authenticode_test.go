package commands_test

import (
	"bytes"
	"context"
	"encoding/asn1"
	"encoding/hex"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/cms"
)

// spcIndirectData is what `osslsigncode extract-data -h sha256` gave for a tiny Go PE.
const spcIndirectData = "30693034060a2b06010401823702010f302603020780a020a21e801c003c003c003c004f00620073006f006c0065" +
	"00740065003e003e003e3031300d0609608648016503040201050004205c9ae689554bf227d76b25e99b8ca359561c1b9cd9b725113e0c67a4085a3063"

// TestAnApprovedAuthenticodeRequestIsSignedOverItsIndirectData signs an Authenticode request
// that waits for one approval: the content recorded with the request is what the SignedData
// carries, under SPC_INDIRECT_DATA, and ArtifactSigned says it is Authenticode.
func TestAnApprovedAuthenticodeRequestIsSignedOverItsIndirectData(t *testing.T) {
	l := newSigningLedger(t)
	key := l.newSigningKey(t, 1)
	content, err := hex.DecodeString(spcIndirectData)
	require.NoError(t, err)
	_, digest, err := cms.ParseIndirectData(content)
	require.NoError(t, err)
	req := uuid.New()
	_, err = l.h.SignDigest.Handle(context.Background(), commands.SignDigest{CommandID: uuid.New(), RequestID: req, KeyID: key,
		Kind: "authenticode", Content: content, Digest: digest, DigestAlgorithm: "sha256", Artifact: "app.exe"}, releaser)
	require.NoError(t, err)
	_, err = l.h.ApproveSignature.Handle(context.Background(), commands.ApproveSignature{CommandID: uuid.New(), RequestID: req}, secops)
	require.NoError(t, err)
	r, err := l.h.Queries.SignatureRequest(context.Background(), req)
	require.NoError(t, err)
	signed, ok := r.Signed()
	require.True(t, ok, "approved: %s", r.Status())
	assert.Equal(t, domain.SignatureKindAuthenticode, signed.Kind)
	assert.Equal(t, digest, signed.Digest)
	oid, err := asn1.Marshal(cms.OIDSpcIndirectData)
	require.NoError(t, err)
	assert.True(t, bytes.Contains(signed.CMS, oid), "the content type is SPC_INDIRECT_DATA")
	assert.True(t, bytes.Contains(signed.CMS, content), "the indirect data is carried as itself")
	l.requireArtifactsAccounted(t, key, []uuid.UUID{req})
}
