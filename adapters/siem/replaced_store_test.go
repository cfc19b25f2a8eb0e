package siem_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/siem"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
)

// TestACheckpointOfAnotherStoreForwardsTheNewStoreFromTheStart forwards a store's events to a
// file, then points the same database at a new store. Shorter, its end lies before the sink's
// old checkpoint; longer, only the store identity kept with the checkpoint (the id of the first
// event of $all) tells that the checkpoint belongs to another store. Either way the forwarder
// starts from the beginning and the file gets every event of the new store, none skipped.
func TestACheckpointOfAnotherStoreForwardsTheNewStoreFromTheStart(t *testing.T) {
	for _, c := range []struct {
		name        string
		old, new    []stream
		oldPerWrite int
		newPerWrite int
		newIsLonger bool
	}{
		{"a shorter store", uniform(60, events.CategoryCertificate, "CertificateIssued", 6), uniform(10, events.CategoryCA, "CARootCreated", 5), 2, 1, false},
		{"a longer store", uniform(10, events.CategoryCA, "CARootCreated", 5), uniform(60, events.CategoryCertificate, "CertificateIssued", 6), 1, 2, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.appendEvents(t, c.old, c.oldPerWrite, 0)
			first, second := filepath.Join(t.TempDir(), "a.jsonl"), filepath.Join(t.TempDir(), "b.jsonl")
			sink := func(path string) siem.Config {
				return config(t, fmt.Sprintf(`{"sinks":[{"name":"audit","kind":"file","path":%q}]}`, path))
			}
			f, stop := e.start(t, sink(first))
			waitFor(t, 30*time.Second, "the first store forwarded", func() bool { return caughtUp(t, f, "audit") })
			stop()
			old, err := siem.Checkpoint(t.Context(), e.pool, "audit")
			require.NoError(t, err)

			replaced := &env{store: eventstore.New(storetest.Client(t, storetest.Start(t))), pool: e.pool}
			replaced.appendEvents(t, c.new, c.newPerWrite, 0)
			last, err := replaced.store.LastPosition(t.Context())
			require.NoError(t, err)
			require.Equal(t, c.newIsLonger, last > old, "the new store's end against the old checkpoint")
			want := replaced.ledgerEvents(t, nil)
			f2, _ := replaced.start(t, sink(second))
			waitFor(t, 30*time.Second, "the new store forwarded", func() bool { return caughtUp(t, f2, "audit") })
			lines := fileLines(t, second)
			assert.Len(t, lines, len(want), "every event of the new store, from the first")
			for _, line := range lines {
				ce, _ := cloudEvent(t, line)
				assert.Contains(t, want, ce.ID)
			}
		})
	}
}
