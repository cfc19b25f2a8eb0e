package main

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
)

// BenchmarkAuditVerify runs audit verify over 100,000 events in 1,000 streams with a checkpoint
// of them all: chains, tree and checkpoint, as events/s.
func BenchmarkAuditVerify(b *testing.B) {
	const streams, perStream = 1000, 100
	srv := storetest.Start(b)
	store := eventstore.New(storetest.Client(b, srv))
	ctx := context.Background()
	meta := events.Metadata{SchemaVersion: 1, OccurredAt: time.Now().UTC(), Actor: events.Actor{Subject: "alice@example.com"}}
	for s := range streams {
		batch := make([]events.Proposed, perStream)
		for i := range batch {
			batch[i] = events.Proposed{ID: uuid.New(), Type: "CertificateNoted", Data: fmt.Appendf(nil, `{"serial":"%x"}`, s*perStream+i), Metadata: meta}
		}
		_, err := store.Append(ctx, events.StreamName(events.CategoryCertificate, uuid.New()), events.Head{}, batch)
		require.NoError(b, err)
	}
	h, err := commands.NewApplication(store, hsm.KeyStore{HSM: hsmtest.Open(b)}, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(b, err)
	checkpointHonestly(b, h, store)
	for b.Loop() {
		if code := verify(ctx, []string{"--quiet", "--eventstore-url", srv.URL()}, io.Discard, io.Discard); code != exitOK {
			b.Fatalf("audit verify exited %d", code)
		}
	}
	b.ReportMetric(float64(streams*perStream*b.N)/b.Elapsed().Seconds(), "events/s")
}
