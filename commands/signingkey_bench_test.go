package commands_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
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

// benchKey is a ledger on the embedded store and SoftHSM with a P-256 signing key of usage.
type benchKey struct {
	h     *commands.Application
	keyID uuid.UUID
	raw   float64 // raw SoftHSM signatures/s of the key, once rawSigning ran
}

func newBenchKey(b *testing.B, usage domain.KeyUsageKind) *benchKey {
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
	spec.Usage = usage
	_, err = h.CreateSigningKey.Handle(ctx, spec, secops)
	require.NoError(b, err)
	k := &benchKey{h: h, keyID: keyID}
	b.Run("raw_softhsm_p256", func(b *testing.B) { k.raw = rawSigning(b, token, keyID) })
	return k
}

// rawSigning measures the key's raw SoftHSM P-256 signatures with 16 clients.
func rawSigning(b *testing.B, token *hsm.HSM, keyID uuid.UUID) float64 {
	signer, err := token.Signer(events.StreamName(events.CategorySigningKey, keyID))
	require.NoError(b, err)
	digest := sha256.Sum256([]byte("artifact"))
	return parallelRate(b, "sigs/s", func() error {
		_, err := signer.Sign(rand.Reader, digest[:], crypto.SHA256)
		return err
	})
}

// against runs op with 16 clients and reports its rate in unit, and as a share of raw signing.
func (k *benchKey) against(b *testing.B, unit string, op func() error) {
	rate := parallelRate(b, unit, op)
	if k.raw > 0 {
		b.ReportMetric(100*rate/k.raw, "%raw_share")
	}
}

// parallelRate runs op from 16 goroutines on 2 cores and reports how many ran per second.
func parallelRate(b *testing.B, unit string, op func() error) float64 {
	b.SetParallelism(8)
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := op(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	rate := float64(b.N) / time.Since(start).Seconds()
	b.ReportMetric(rate, unit)
	return rate
}
