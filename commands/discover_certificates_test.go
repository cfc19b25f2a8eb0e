package commands_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/tlsscan/scantest"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/tests/testutil"
)

// endpoints are n sightings of distinct certificates at distinct loopback endpoints.
func endpoints(t *testing.T, n int) []domain.Sighting {
	out := make([]domain.Sighting, n)
	for i := range out {
		c := scantest.NewChain(t, fmt.Sprintf("host%d.example.com", i))
		out[i] = domain.Sighting{Location: domain.Location{Kind: domain.LocationNetwork, Address: fmt.Sprintf("10.2.0.%d:443", i+1),
			ServerName: fmt.Sprintf("host%d.example.com", i)}, Outcome: domain.OutcomeOK, Chain: c.TLS.Certificate}
	}
	return out
}

func scan(scope string, sightings []domain.Sighting) commands.DiscoverCertificates {
	now := time.Now()
	return commands.DiscoverCertificates{CommandID: uuid.New(), Scan: domain.Scan{ScanID: uuid.New(), Scope: scope,
		Source: "test", StartedAt: now.Add(-time.Second), FinishedAt: now, Sightings: sightings}}
}

// TestARescanOfUnchangedEndpointsAppendsOneEvent records a scan, runs it again, then a rescan
// where nothing changed: the first writes a stream per certificate, the rescan one event.
func TestARescanOfUnchangedEndpointsAppendsOneEvent(t *testing.T) {
	l := newLedger(t)
	ctx := context.Background()
	sightings := endpoints(t, 20)
	first := scan("dmz", sightings)
	got, err := l.h.Discover.Handle(ctx, first, secops)
	require.NoError(t, err)
	assert.Equal(t, 20, got.New)
	assert.Equal(t, 20, got.Changed)
	assert.Equal(t, 2, got.Appended, "the scope's changes and the scan's summary")

	again, err := l.h.Discover.Handle(ctx, first, secops)
	require.NoError(t, err)
	assert.True(t, again.Replayed, "the same command appends nothing new")

	rescan, err := l.h.Discover.Handle(ctx, scan("dmz", sightings), secops)
	require.NoError(t, err)
	assert.Equal(t, commands.Discovered{Result: commands.Result{Head: rescan.Head, Appended: 1}}, rescan)

	leaf := sightings[3].Chain[0]
	history, _, err := l.store.Load(ctx, events.StreamName(events.CategoryDiscovered, domain.DiscoveredIDOf(domain.Fingerprint(leaf))))
	require.NoError(t, err)
	require.Len(t, history, 1, "one CertificateDiscovered however often it is seen")
	assert.Equal(t, domain.TypeCertificateDiscovered, history[0].Type)
}

func TestABadScanChangesNothing(t *testing.T) {
	l := newLedger(t)
	ctx := context.Background()
	sightings := endpoints(t, 2)
	sightings[1].Location = sightings[0].Location // reported twice
	bad := scan("dmz", sightings)
	_, err := l.h.Discover.Handle(ctx, bad, secops)
	assert.True(t, domain.IsKind(err, domain.KindInvalid), "%v", err)
	history, _, err := l.store.Load(ctx, events.StreamName(events.CategoryDiscovered, domain.DiscoveredIDOf(domain.Fingerprint(sightings[0].Chain[0]))))
	require.NoError(t, err)
	assert.Empty(t, history, "no certificate stream was written for a refused scan")
	_, err = l.h.Discover.Handle(ctx, scan("dmz", endpoints(t, 1)), devops)
	assert.True(t, domain.IsKind(err, domain.KindForbidden), "%v", err)
}

// TestALargeScanGoesInPartsAndResumesAfterAFailure records 2,500 changed endpoints (three parts,
// each its own append under the store's 1 MiB bound) with the store failing at the summary;
// the command run again completes the scan once, without a part twice.
func TestALargeScanGoesInPartsAndResumesAfterAFailure(t *testing.T) {
	store := newStore(t)
	faults := newFaultyStore(store)
	app, err := commands.NewApplication(faults, nil, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(t, err)
	ctx := context.Background()
	cmd := scan("big", testutil.Sightings(t, 2_500, "big"))
	faults.inject(domain.TypeDiscoveryScanRecorded, failure, 1)
	_, err = app.Discover.Handle(ctx, cmd, secops)
	require.ErrorIs(t, err, errStoreDown)

	got, err := app.Discover.Handle(ctx, cmd, secops)
	require.NoError(t, err)
	assert.Equal(t, 0, got.New, "the certificates were recorded by the first run")
	assert.Equal(t, 2_500, got.Changed, "the summary counts the parts the first run appended")
	assert.Equal(t, 1, got.Appended, "only the summary was left")
	history, _, err := store.Load(ctx, events.StreamName(events.CategoryDiscovery, domain.DiscoveryScopeIDOf("big")))
	require.NoError(t, err)
	var types []string
	for _, e := range history {
		types = append(types, e.Type)
	}
	assert.Equal(t, []string{domain.TypeDiscoveryLocationsChanged, domain.TypeDiscoveryLocationsChanged,
		domain.TypeDiscoveryLocationsChanged, domain.TypeDiscoveryScanRecorded}, types)
	again, err := app.Discover.Handle(ctx, cmd, secops)
	require.NoError(t, err)
	assert.True(t, again.Replayed)
}
