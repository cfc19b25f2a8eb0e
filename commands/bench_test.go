package commands_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/infra/migrations"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/pki"
	"github.com/certledger/certledger/tests/testutil"
)

// BenchmarkIssuance measures end-to-end issuance with 16 concurrent clients: CSR parsing and
// policy, a P-256 CA key in SoftHSM signing, durable hash-chained events in the embedded store,
// and — in the second case — the certificates visible in the Postgres inventory read model.
func BenchmarkIssuance(b *testing.B) {
	for _, visible := range []bool{false, true} {
		name := map[bool]string{false: "durable", true: "visible_in_inventory"}[visible]
		b.Run(name, func(b *testing.B) { benchIssuance(b, visible) })
	}
}

func benchIssuance(b *testing.B, visible bool) {
	store := eventstore.New(storetest.Client(b, storetest.Start(b)))
	h, err := commands.NewApplication(store, hsm.KeyStore{HSM: hsmtest.Open(b)}, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(b, err)
	ctx := context.Background()
	caID, profile := uuid.New(), "bench-"+uuid.NewString()[:8]
	_, err = h.CreateCA.Handle(ctx, commands.CreateCA{CommandID: uuid.New(), CAID: caID, Name: "Bench", CommonName: "Bench CA",
		KeyType: domain.KeyECDSAP256, ValidityDays: 3650, PathLen: 0}, secops)
	require.NoError(b, err)
	_, err = h.DefineProfile.Handle(ctx, commands.DefineProfile{CommandID: uuid.New(), Spec: domain.ProfileSpec{Name: profile,
		AllowedDomains: []string{"example.com"}, KeyTypes: []domain.KeyType{domain.KeyECDSAP256}, MaxValidityDays: 90,
		KeyUsages: []string{"digitalSignature"}, ExtKeyUsages: []string{"serverAuth"}}}, secops)
	require.NoError(b, err)
	csrs := make([][]byte, 64) // client keys are made before the clock starts
	for i := range csrs {
		csrs[i] = testutil.CSR(b, "www.example.com")
	}
	var pool *pgxpool.Pool
	if visible {
		pool = pgtest.NewDatabase(b)
		require.NoError(b, migrations.Migrate(ctx, pool))
		p, err := pki.New()
		require.NoError(b, err)
		runner, err := projections.NewRunner(pool, store, []projections.Projection{p})
		require.NoError(b, err)
		runCtx, stop := context.WithCancel(ctx)
		b.Cleanup(stop)
		go func() { _ = runner.Run(runCtx) }()
	}

	var n atomic.Int64
	b.SetParallelism(8) // 16 clients on 2 cores
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			_, err := h.RequestCertificate.Handle(ctx, commands.RequestCertificate{CommandID: uuid.New(), CertificateID: uuid.New(),
				CAID: caID.String(), Profile: profile, CSRPEM: csrs[i%int64(len(csrs))], Team: "web", ValidityDays: 30}, secops)
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	if visible {
		waitInventory(b, pool, b.N)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "certs/s")
}

// waitInventory waits until the inventory holds want issued certificates.
func waitInventory(b *testing.B, pool *pgxpool.Pool, want int) {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		var n int
		err := pool.QueryRow(context.Background(), "SELECT count(*) FROM rm_pki.certificates WHERE status = 'issued'").Scan(&n)
		if err == nil && n >= want {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	b.Fatalf("the inventory did not show %d certificates in time", want)
}
