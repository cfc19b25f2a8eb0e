package commands_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
)

// BenchmarkSignDigest measures SignDigest with 16 concurrent clients against a P-256 signing
// key in SoftHSM — the request, the intent and ArtifactSigned durable in the embedded store,
// the CMS SignedData built — and, in the same run, raw SoftHSM P-256 signatures by the same
// key with as many clients, so the share of raw signing the command reaches is reported
// (raw_share) whatever the machine's load.
func BenchmarkSignDigest(b *testing.B) {
	store := eventstore.New(storetest.Client(b, storetest.Start(b)))
	token := hsmtest.Open(b)
	h, err := commands.NewApplication(store, hsm.KeyStore{HSM: token}, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(b, err)
	ctx := context.Background()
	caID, keyID := uuid.New(), uuid.New()
	_, err = h.CreateCA.Handle(ctx, commands.CreateCA{CommandID: uuid.New(), CAID: caID, Name: "Bench", CommonName: "Bench CA",
		KeyType: domain.KeyECDSAP256, ValidityDays: 3650}, secops)
	require.NoError(b, err)
	_, err = h.CreateSigningKey.Handle(ctx, createSigningKey(keyID, caID, 0), secops)
	require.NoError(b, err)
	signer, err := token.Signer(events.StreamName(events.CategorySigningKey, keyID))
	require.NoError(b, err)
	digest := sha256.Sum256([]byte("artifact"))

	var raw float64
	b.Run("raw_softhsm_p256", func(b *testing.B) {
		b.SetParallelism(8) // 16 clients on 2 cores
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := signer.Sign(rand.Reader, digest[:], crypto.SHA256); err != nil {
					b.Error(err)
					return
				}
			}
		})
		raw = float64(b.N) / time.Since(start).Seconds()
		b.ReportMetric(raw, "sigs/s")
	})
	b.Run("sign_digest_durable", func(b *testing.B) {
		var n atomic.Int64
		b.SetParallelism(8)
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				n.Add(1)
				_, err := h.SignDigest.Handle(ctx, commands.SignDigest{CommandID: uuid.New(), RequestID: uuid.New(), KeyID: keyID,
					Digest: digest[:], DigestAlgorithm: "sha256", Artifact: "app.bin"}, releaser)
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
		rate := float64(b.N) / time.Since(start).Seconds()
		b.ReportMetric(rate, "sigs/s")
		if raw > 0 {
			b.ReportMetric(100*rate/raw, "%raw_share")
		}
	})
}
