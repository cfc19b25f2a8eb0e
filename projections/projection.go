package projections

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/certledger/certledger/events"
)

// Projection builds one read model from ledger events.
type Projection interface {
	// Name names the projection and its checkpoint; its tables live in the schema rm_<name>.
	// It matches [a-z][a-z0-9_]* and is at most MaxNameLength bytes long.
	Name() string
	// Schema returns the DDL that creates the projection's tables and indexes in the current
	// search_path. It runs at every start, so it must be idempotent (CREATE TABLE IF NOT
	// EXISTS …), and it must not name a schema, so that rebuilds can run it in a fresh one.
	Schema() string
	// Apply applies one event inside tx, whose search_path is the projection's schema. It must
	// be deterministic: the same events leave the same rows, live, after a restart or in a
	// rebuild. An error stops the projection at this event.
	Apply(ctx context.Context, tx pgx.Tx, e events.Envelope) error
}

// BatchProjection is a Projection that can also apply many events in a few round trips, for
// example with COPY or unnest arrays. ApplyBatch must leave exactly the rows that Apply called
// for each event in order would leave. When a projection has it, the runner and rebuilds use it
// for every transaction; when it fails, the runner applies the batch again event by event to
// find the failing event.
type BatchProjection interface {
	Projection
	// ApplyBatch applies the events, in $all order, inside tx.
	ApplyBatch(ctx context.Context, tx pgx.Tx, batch []events.Envelope) error
}

// EventSource is what the runner needs of the event store; *eventstore.Store is one.
type EventSource interface {
	// Subscribe delivers the events of $all after position after (0: from the start) to
	// handle, first the stored ones, then live ones, until ctx ends or handle fails. System
	// events are left out.
	Subscribe(ctx context.Context, after uint64, opts events.Subscription, handle func(events.Raw) error) error
	// ReadAll yields the events of $all after position after, until the end of what is stored.
	ReadAll(ctx context.Context, after uint64) iter.Seq2[events.Raw, error]
	// LastPosition returns the position of the newest event in $all, 0 when there is none.
	LastPosition(ctx context.Context) (uint64, error)
}

// IdentifiedSource is an EventSource that names its store (*eventstore.Store is one): the id
// of the first event of $all, "" while it is empty. The Runner keeps it with each checkpoint
// and rebuilds a projection from 0 when it changes, since positions of another store mean
// nothing in this one.
type IdentifiedSource interface {
	Identity(ctx context.Context) (string, error)
}

// MaxNameLength bounds a projection's name, so that rm_<name>_rebuild is a valid Postgres
// identifier (at most 63 bytes).
const MaxNameLength = 48

var validName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// ErrUnknownProjection is returned for a name no registered projection has.
var ErrUnknownProjection = errors.New("no projection of that name is registered")

// ErrRebuildRunning is returned when a rebuild of the same projection is already running, in
// this process or another one.
var ErrRebuildRunning = errors.New("a rebuild of this projection is already running")

// checkName checks a projection name against the rules of Projection.Name.
func checkName(name string) error {
	if len(name) > MaxNameLength || !validName.MatchString(name) {
		return fmt.Errorf("projection name %q: must match [a-z][a-z0-9_]* and be at most %d bytes", name, MaxNameLength)
	}
	return nil
}

// SchemaName returns the Postgres schema a projection's tables live in, rm_<name>.
func SchemaName(projection string) string { return "rm_" + projection }

// rebuildSchemaName returns the schema a rebuild fills before it is swapped in.
func rebuildSchemaName(projection string) string { return SchemaName(projection) + "_rebuild" }

// ledgerEvent returns the ledger event raw holds, or an error saying why raw is not one. The
// live runner and rebuilds skip the same events: ReadAll also yields the system events a
// subscription leaves out (types starting with '$'), and system streams are never ledger streams.
func ledgerEvent(raw events.Raw) (events.Envelope, error) {
	switch {
	case raw.Type == "" || strings.HasPrefix(raw.Type, "$"):
		return events.Envelope{}, fmt.Errorf("system event type %q", raw.Type)
	case events.IsSystemStream(raw.Stream):
		return events.Envelope{}, fmt.Errorf("system stream %q", raw.Stream)
	}
	return events.ParseEnvelope(raw)
}
