package commands_test

import (
	"context"
	"crypto/sha256"
	"testing"

	"github.com/google/uuid"

	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
)

// BenchmarkSignDigest measures SignDigest with 16 concurrent clients against a P-256 signing
// key in SoftHSM — the request, the intent and ArtifactSigned durable in the embedded store,
// the CMS SignedData built — and, in the same run, raw SoftHSM P-256 signatures by the same
// key with as many clients, so the share of raw signing the command reaches is reported
// (raw_share) whatever the machine's load.
func BenchmarkSignDigest(b *testing.B) {
	k := newBenchKey(b, domain.UsageCode)
	digest := sha256.Sum256([]byte("artifact"))
	b.Run("sign_digest_durable", func(b *testing.B) {
		k.against(b, "sigs/s", func() error {
			_, err := k.h.SignDigest.Handle(context.Background(), commands.SignDigest{CommandID: uuid.New(), RequestID: uuid.New(),
				KeyID: k.keyID, Digest: digest[:], DigestAlgorithm: "sha256", Artifact: "app.bin"}, releaser)
			return err
		})
	})
}
