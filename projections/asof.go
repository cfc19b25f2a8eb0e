package projections

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/certledger/certledger/events"
)

// AsOf is the moment a point-in-time replay shows. With Time zero it is a position of $all:
// the events at positions up to Position, inclusive. Otherwise it is a time: the events the
// store recorded at or before Time.
//
// A time is compared with the time the store recorded each event (events.Raw.Recorded), not
// with the metadata's occurred_at: $all is in commit order and the store stamps each commit as
// it makes it, so the recorded times follow $all and the replay can stop at the first event
// recorded after Time. occurred_at is the clock of the process that decided the event, before
// its append: concurrent commands, or ledgerd processes whose clocks differ, commit events out
// of occurred_at order, and a cut by occurred_at would not be a prefix of $all.
type AsOf struct {
	Position uint64
	Time     time.Time
}

// AsOfPosition is the moment just after the event at position pos of $all.
func AsOfPosition(pos uint64) AsOf { return AsOf{Position: pos} }

// AsOfTime is the moment t: every event recorded at or before it.
func AsOfTime(t time.Time) AsOf { return AsOf{Time: t} }

// ParseAsOf reads a moment as users write it: a position in $all (digits) or an RFC 3339 time.
func ParseAsOf(v string) (AsOf, error) {
	if pos, err := strconv.ParseUint(v, 10, 64); err == nil {
		return AsOfPosition(pos), nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return AsOf{}, fmt.Errorf("%q is neither an RFC 3339 time (2026-11-20T00:00:00Z) nor a position in $all", v)
	}
	return AsOfTime(t), nil
}

// String names the moment: "position 1234" or an RFC 3339 time.
func (a AsOf) String() string {
	if a.Time.IsZero() {
		return "position " + strconv.FormatUint(a.Position, 10)
	}
	return a.Time.UTC().Format(time.RFC3339Nano)
}

// past tells whether raw lies after the moment.
func (a AsOf) past(raw events.Raw) bool {
	if a.Time.IsZero() {
		return raw.Position > a.Position
	}
	return raw.Recorded.After(a.Time)
}

// Replayed is what ReplayAsOf wrote.
type Replayed struct {
	// Schema is the schema holding the replayed tables and replay_info.
	Schema string
	// AsOf is the moment asked for.
	AsOf AsOf
	// Position is the position of the last event of $all at or before the moment, 0 when
	// there is none. Time is AsOf.Time, or for a position the time the store recorded the
	// event at Position (zero when there is none).
	Position uint64
	Time     time.Time
	// Events is the number of events each projection replayed, skipped ones included.
	Events uint64
	// Projections are the replayed projections, in order, with the tables they wrote.
	Projections []ReplayedProjection
	// Duration is how long the replay took.
	Duration time.Duration
}

// ReplayedProjection is one projection of a replay and the tables it wrote.
type ReplayedProjection struct {
	Name string
	// Tables are its tables as the replay schema names them: their own names, or
	// "<projection>_<table>" when Prefixed.
	Tables []string
	// Prefixed is set when a name of the projection's tables or indexes is also one of
	// another replayed projection (or is replay_info), so that all its names were prefixed.
	Prefixed bool
}

// ReplayOption changes what ReplayAsOf does.
type ReplayOption func(*replayConfig)

type replayConfig struct{ replace bool }

// ReplaceSchema lets ReplayAsOf drop and rebuild a schema an earlier replay made; the old
// schema is dropped when the replay starts, so a replay that fails leaves none. It never drops
// a schema that no replay made.
func ReplaceSchema() ReplayOption { return func(c *replayConfig) { c.replace = true } }

// Errors of ReplayAsOf, wrapped.
var (
	// ErrReplaySchemaName: the schema name is not a simple lowercase identifier, or is one of
	// the live read models (rm_…), Postgres's own (pg_…, information_schema) or public.
	ErrReplaySchemaName = errors.New("not a schema name a replay may use")
	// ErrReplaySchemaExists: the schema exists and ReplaceSchema was not given, or it exists
	// and no replay made it.
	ErrReplaySchemaExists = errors.New("the schema exists")
	// ErrReplayRunning: another replay into the same schema is running.
	ErrReplayRunning = errors.New("a replay into this schema is already running")
)

var validReplaySchema = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// CheckReplaySchema tells whether ReplayAsOf may use the schema name.
func CheckReplaySchema(name string) error {
	if len(name) > 63 || !validReplaySchema.MatchString(name) {
		return fmt.Errorf("schema %q: must match [a-z][a-z0-9_]* and be at most 63 bytes: %w", name, ErrReplaySchemaName)
	}
	for _, reserved := range []string{"rm_", "pg_", "information_schema"} {
		if strings.HasPrefix(name, reserved) {
			return fmt.Errorf("schema %q: names starting with %q are reserved: %w", name, reserved, ErrReplaySchemaName)
		}
	}
	if name == "public" {
		return fmt.Errorf("schema %q holds the checkpoints: %w", name, ErrReplaySchemaName)
	}
	return nil
}
