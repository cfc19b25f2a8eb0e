// Package audit_test proves end to end that the ledger's history cannot be altered unnoticed: an
// event changed in the embedded store's storage, below every API, makes `ledgerctl audit verify`
// fail naming the stream and revision.
package audit_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/cockroachdb/pebble/v2"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
)

// buildLedgerctl compiles the real binary once for the test.
func buildLedgerctl(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "ledgerctl")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/certledger/certledger/cmd/ledgerctl").CombinedOutput()
	require.NoError(t, err, string(out))
	return bin
}

func TestAuditVerifyCatchesAnEventAlteredInStorage(t *testing.T) {
	ctl := buildLedgerctl(t)
	dir := t.TempDir()
	srv := storetest.StartIn(t, dir)
	store := eventstore.New(storetest.Client(t, srv))
	stream := events.StreamName(events.CategoryCertificate, uuid.New())
	meta := events.Metadata{SchemaVersion: 1, OccurredAt: time.Now().UTC(), Actor: events.Actor{Subject: "alice"}}
	var batch []events.Proposed
	for _, data := range []string{`{"serial":"01"}`, `{"serial":"02"}`, `{"serial":"03"}`} {
		batch = append(batch, events.Proposed{ID: uuid.New(), Type: "Issued", Data: []byte(data), Metadata: meta})
	}
	_, err := store.Append(context.Background(), stream, events.Head{}, batch)
	require.NoError(t, err)

	verify := func() (int, string) {
		cmd := exec.Command(ctl, "audit", "verify", "--quiet", "--eventstore-url", srv.URL())
		var out bytes.Buffer
		cmd.Stdout = &out
		cmd.Stderr = os.Stderr
		err := cmd.Run()
		if exit, ok := err.(*exec.ExitError); ok {
			return exit.ExitCode(), out.String()
		}
		require.NoError(t, err)
		return 0, out.String()
	}
	code, out := verify()
	require.Equal(t, 0, code, out)

	require.NoError(t, srv.Close())
	alterData(t, dir, stream, 1, []byte(`{"serial":"99"}`))
	srv = storetest.StartIn(t, dir)

	code, out = verify()
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "BROKEN: stream "+stream+", revision 1: ")
}

// alterData rewrites one stored event's data directly in the Pebble database, as an attacker with
// access to the disk could. The key layout is the embedded store's: 'a' + position → event record.
func alterData(t *testing.T, dir, stream string, revision uint64, data []byte) {
	t.Helper()
	db, err := pebble.Open(dir, &pebble.Options{})
	require.NoError(t, err)
	defer db.Close()
	it, err := db.NewIter(&pebble.IterOptions{LowerBound: []byte{'a'}, UpperBound: []byte{'b'}})
	require.NoError(t, err)
	defer it.Close()
	for it.First(); it.Valid(); it.Next() {
		e := &api.ReadResp_ReadEvent_RecordedEvent{}
		require.NoError(t, proto.Unmarshal(it.Value(), e))
		if string(e.StreamIdentifier.StreamName) != stream || e.StreamRevision != revision {
			continue
		}
		e.Data = data
		raw, err := proto.Marshal(e)
		require.NoError(t, err)
		require.NoError(t, db.Set(append([]byte(nil), it.Key()...), raw, pebble.Sync))
		return
	}
	t.Fatalf("event %s@%d not found in storage", stream, revision)
}
