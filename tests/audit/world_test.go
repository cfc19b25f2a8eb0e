package audit_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/adapters/eventstore"
	"github.com/certledger/certledger/adapters/hsm"
	"github.com/certledger/certledger/adapters/hsm/hsmtest"
	"github.com/certledger/certledger/adapters/postgres/pgtest"
	"github.com/certledger/certledger/commands"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/infra/embeddedstore"
	"github.com/certledger/certledger/infra/embeddedstore/storetest"
	"github.com/certledger/certledger/infra/migrations"
	"github.com/certledger/certledger/projections"
	"github.com/certledger/certledger/projections/audit"
)

func TestMain(m *testing.M) { hsmtest.Main(m) }

// world is a ledger on an embedded store in a folder the test can tamper with, the audit read
// model in Postgres, command handlers on SoftHSM to sign checkpoints as ledgerd does, and the
// real ledgerctl binary.
type world struct {
	t          *testing.T
	dir        string
	srv        *embeddedstore.Server
	client     *esdb.Client
	store      *eventstore.Store
	h          *commands.Application
	dbURL      string
	q          *audit.Queries
	stopRunner func()
	keyFile    string
	ctl        string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, dir: t.TempDir(), dbURL: pgtest.NewDatabaseURL(t), ctl: buildLedgerctl(t)}
	w.open()
	var err error
	w.h, err = commands.NewApplication(w.store, hsm.KeyStore{HSM: hsmtest.Open(t)}, commands.URLs{Base: "http://127.0.0.1:8080"})
	require.NoError(t, err)
	pub, err := w.h.Queries.AuditKey(context.Background())
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(pub)
	require.NoError(t, err)
	w.keyFile = filepath.Join(t.TempDir(), "audit.pem")
	require.NoError(t, os.WriteFile(w.keyFile, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600))

	pool, err := pgxpool.New(context.Background(), w.dbURL)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	require.NoError(t, migrations.Migrate(context.Background(), pool))
	w.q = audit.NewQueries(pool)
	runner, err := projections.NewRunner(pool, w.store, []projections.Projection{audit.New()},
		projections.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))), projections.WithRetryDelay(50*time.Millisecond))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runner.Run(ctx) }()
	stopped := false
	w.stopRunner = func() {
		if !stopped {
			stopped = true
			cancel()
			require.NoError(t, <-done)
		}
	}
	t.Cleanup(w.stopRunner)
	return w
}

// open starts the embedded store on the world's folder.
func (w *world) open() {
	w.srv = storetest.StartIn(w.t, w.dir)
	w.client = storetest.Client(w.t, w.srv)
	w.store = eventstore.New(w.client)
}

// tamper stops the read model and the store, lets f change the Pebble database as an attacker
// with the disk could, and starts the store again. The read model stays as it was built.
func (w *world) tamper(f func(dir string)) {
	w.t.Helper()
	w.stopRunner()
	require.NoError(w.t, w.srv.Close())
	f(w.dir)
	w.open()
}

// appendTo appends n honest events to stream through the ledger's adapter and returns them.
func (w *world) appendTo(stream string, n int) {
	w.t.Helper()
	_, head, err := w.store.Load(context.Background(), stream)
	require.NoError(w.t, err)
	var batch []events.Proposed
	for i := range n {
		batch = append(batch, events.Proposed{ID: uuid.New(), Type: "CertificateNoted", Data: fmt.Appendf(nil, `{"n":%d}`, i),
			Metadata: events.Metadata{SchemaVersion: 1, OccurredAt: time.Now().UTC(), Actor: events.Actor{Subject: "alice"}}})
	}
	_, err = w.store.Append(context.Background(), stream, head, batch)
	require.NoError(w.t, err)
}

// checkpoint signs a checkpoint of the whole tree once the read model holds every event, as
// ledgerd's checkpointer does, and returns its size.
func (w *world) checkpoint() int64 {
	w.t.Helper()
	ctx := context.Background()
	var size int64
	require.EventuallyWithT(w.t, func(c *assert.CollectT) {
		want := int64(0)
		for raw, err := range w.store.ReadAll(ctx, 0) {
			require.NoError(c, err)
			if _, ok := audit.LeafOf(raw); ok {
				want++
			}
		}
		var err error
		size, err = w.q.TreeSize(ctx)
		require.NoError(c, err)
		assert.Equal(c, want, size)
	}, time.Minute, 20*time.Millisecond, "the audit read model holds every event")
	root, err := w.q.TreeHash(ctx, size)
	require.NoError(w.t, err)
	last, err := w.q.Leaves(ctx, size-1, size)
	require.NoError(w.t, err)
	_, err = w.h.SignCheckpoint.Handle(ctx, commands.SignCheckpoint{Size: size, Root: root, LastPosition: last[0].Position})
	require.NoError(w.t, err)
	return size
}

// verify runs ledgerctl audit verify with the pinned key and the read model, and returns its
// exit code and output.
func (w *world) verify() (int, string) {
	w.t.Helper()
	cmd := exec.Command(w.ctl, "audit", "verify", "--quiet", "--eventstore-url", w.srv.URL(), "--audit-key", w.keyFile,
		"--database-url", w.dbURL)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	w.t.Logf("ledgerctl audit verify:\n%s%s", out.String(), errOut.String())
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode(), out.String() + errOut.String()
	}
	require.NoError(w.t, err, errOut.String())
	return 0, out.String() + errOut.String()
}

// streams makes n new certificate streams.
func streams(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = events.StreamName(events.CategoryCertificate, uuid.New())
	}
	return out
}
