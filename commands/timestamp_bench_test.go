package commands_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/digitorus/timestamp"
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

// BenchmarkIssueTimestamp measures RFC 3161 tokens with 16 concurrent clients from a P-256
// TSA key in SoftHSM — the intent and TimestampIssued durable in the embedded store, the
// TSTInfo and SignedData built — beside raw SoftHSM P-256 signatures by the same key with as
// many clients, reporting the share of raw signing reached (raw_share).
func BenchmarkIssueTimestamp(b *testing.B) {
	store := eventstore.New(storetest.Client(b, storetest.Start(b)))
	token := hsmtest.Open(b)
	h, err := commands.NewApplication(store, hsm.KeyStore{HSM: token}, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(b, err)
	ctx := context.Background()
	caID, keyID := uuid.New(), uuid.New()
	_, err = h.CreateCA.Handle(ctx, commands.CreateCA{CommandID: uuid.New(), CAID: caID, Name: "Bench", CommonName: "Bench CA",
		KeyType: domain.KeyECDSAP256, ValidityDays: 3650}, secops)
	require.NoError(b, err)
	spec := createSigningKey(keyID, caID, 0)
	spec.Usage = domain.UsageTimestamp
	_, err = h.CreateSigningKey.Handle(ctx, spec, secops)
	require.NoError(b, err)
	signer, err := token.Signer(events.StreamName(events.CategorySigningKey, keyID))
	require.NoError(b, err)
	digest := sha256.Sum256([]byte("artifact"))
	query, err := timestamp.CreateRequest(bytes.NewReader([]byte("artifact")), &timestamp.RequestOptions{Hash: crypto.SHA256, Certificates: true})
	require.NoError(b, err)

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
	b.Run("timestamp_durable", func(b *testing.B) {
		b.SetParallelism(8)
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_, err := h.IssueTimestamp.Handle(ctx, commands.IssueTimestamp{CommandID: uuid.New(), TimestampID: uuid.New(),
					KeyID: keyID, Request: query}, commands.Caller{})
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
		rate := float64(b.N) / time.Since(start).Seconds()
		b.ReportMetric(rate, "tokens/s")
		if raw > 0 {
			b.ReportMetric(100*rate/raw, "%raw_share")
		}
	})
}
