package pki_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/infra/migrations"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/pki"
)

// BenchmarkRebuild measures rebuilding the read model from 10,000 certificate streams of
// four events (requested, approved, signing started, issued) and 1,000 revocations: 41,000 events.
func BenchmarkRebuild(b *testing.B) {
	ctx := context.Background()
	pool, store, total := benchLedger(b)
	p, err := pki.New()
	require.NoError(b, err)
	r, err := projections.NewRunner(pool, store, []projections.Projection{p},
		projections.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	require.NoError(b, err)
	for b.Loop() {
		require.NoError(b, r.Rebuild(ctx, pki.Name, nil))
	}
	b.ReportMetric(float64(total)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(benchCerts)*float64(b.N)/b.Elapsed().Seconds(), "certs/s")
	var n int
	require.NoError(b, pool.QueryRow(ctx, "SELECT count(*) FROM rm_pki.certificates WHERE status = 'issued'").Scan(&n))
	require.Equal(b, benchCerts-benchCerts/benchRevokeEvery, n)
}

// The data set of the benchmarks: certificates, one in revokeEvery revoked.
const benchCerts, benchRevokeEvery = 10_000, 10

// benchLedger appends the data set of the benchmarks — benchCerts certificate streams of four
// events (requested, approved, signing started, issued) and a revocation for one in
// benchRevokeEvery — and
// returns a migrated database, the store and the number of events.
func benchLedger(b *testing.B) (*pgxpool.Pool, *eventstore.Store, int) {
	if testing.Short() {
		b.Skip("appends 41,000 events")
	}
	ctx := context.Background()
	pool := pgtest.NewDatabase(b)
	require.NoError(b, migrations.Migrate(ctx, pool))
	store := eventstore.New(storetest.Client(b, storetest.Start(b)))
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(b, err)
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject: pkix.Name{CommonName: "www.example.com"}, DNSNames: []string{"www.example.com"}}, key)
	require.NoError(b, err)
	csrPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: csr}))
	caID := uuid.New()
	issuer := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Bench CA"}}

	const certs, revokeEvery, writers = benchCerts, benchRevokeEvery, 8
	appendCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for i := range jobs {
				if err := appendCertificate(store, key, issuer, caID, csrPEM, i, i%revokeEvery == 0); err != nil {
					errs <- err
					cancel()
					return
				}
			}
		})
	}
	start := time.Now()
	go func() {
		defer close(jobs)
		for i := range certs {
			select {
			case jobs <- i:
			case <-appendCtx.Done():
				return
			}
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(b, err)
	}
	total := certs*4 + certs/revokeEvery
	b.Logf("appended %d events in %s", total, time.Since(start).Round(time.Millisecond))
	return pool, store, total
}

// appendCertificate appends the request, approval, signing intent and issuance of the i-th
// certificate, and
// its revocation when revoke is set.
func appendCertificate(store *eventstore.Store, key *ecdsa.PrivateKey, issuer *x509.Certificate,
	caID uuid.UUID, csrPEM string, i int, revoke bool) error {
	id := uuid.New()
	name := fmt.Sprintf("host-%06d.example.com", i)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second)
	serial := new(big.Int).SetBytes(id[:])
	der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{SerialNumber: serial,
		Subject: pkix.Name{CommonName: name}, DNSNames: []string{name}, NotBefore: at, NotAfter: at.Add(90 * 24 * time.Hour)},
		issuer, &key.PublicKey, key)
	if err != nil {
		return err
	}
	decided := []domain.Event{
		domain.CertificateRequested{CertificateID: id.String(), CAID: caID.String(), ProfileID: uuid.NewString(),
			ProfileName: "web", Team: fmt.Sprintf("team-%02d", i%20), Owner: "owner@example.com", RequestedBy: "dev@example.com",
			CSRPEM: csrPEM, CommonName: name, DNSNames: []string{name}, KeyType: domain.KeyECDSAP256,
			ValidityDays: 90, RequestedAt: at},
		domain.CertificateApproved{CertificateID: id.String(), Auto: true, ApprovedAt: at},
		domain.SigningStarted{Subject: id.String(), CAID: caID.String(), Serial: serial.Text(16),
			Purpose: domain.PurposeCertificate, StartedAt: at},
		domain.CertificateIssued{CertificateID: id.String(), CAID: caID.String(), Serial: serial.Text(16),
			CertificateDER: der, NotBefore: at, NotAfter: at.Add(90 * 24 * time.Hour), IssuedAt: at},
	}
	stream := events.StreamName(events.CategoryCertificate, id)
	head, err := store.Append(context.Background(), stream, events.Head{}, proposals(decided, at))
	if err != nil || !revoke {
		return err
	}
	revoked := []domain.Event{domain.CertificateRevoked{CertificateID: id.String(), CAID: caID.String(),
		Serial: serial.Text(16), Reason: domain.ReasonSuperseded, RevokedAt: at.Add(time.Hour)}}
	_, err = store.Append(context.Background(), stream, head, proposals(revoked, at.Add(time.Hour)))
	return err
}

// proposals encodes domain events as commands do.
func proposals(decided []domain.Event, at time.Time) []events.Proposed {
	out := make([]events.Proposed, len(decided))
	for i, d := range decided {
		data, _ := json.Marshal(d) // domain events always encode
		out[i] = events.Proposed{ID: uuid.New(), Type: d.EventType(), Data: data, Metadata: events.Metadata{
			SchemaVersion: domain.SchemaVersion, OccurredAt: at, Actor: events.Actor{Subject: "bench"}}}
	}
	return out
}
