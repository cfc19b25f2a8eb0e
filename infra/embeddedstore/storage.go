package embeddedstore

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"

	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"
	"google.golang.org/protobuf/proto"
)

// blockCacheSize is Pebble's block cache: enough for the indexes, filters and hot events.
const blockCacheSize = 64 << 20

// storage is the read side of the Pebble database. Writes go through the writer only.
type storage struct {
	db *pebble.DB
}

func openStorage(dir string, log *slog.Logger) (*storage, error) {
	cache := pebble.NewCache(blockCacheSize)
	defer cache.Unref()
	opts := &pebble.Options{Logger: pebbleLogger{log}, Cache: cache}
	// Bloom filters let point reads of stream states skip tables without reading them.
	for i := range opts.Levels {
		opts.Levels[i].FilterPolicy = bloom.FilterPolicy(10)
	}
	db, err := pebble.Open(dir, opts)
	if err != nil {
		return nil, fmt.Errorf("open event store at %s: %w", dir, err)
	}
	return &storage{db: db}, nil
}

func (s *storage) close() error { return s.db.Close() }

// getCopy reads a key and copies its value; found is false when the key is absent.
func getCopy(db *pebble.DB, key []byte) (value []byte, found bool, err error) {
	v, closer, err := db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	value = append([]byte(nil), v...)
	return value, true, closer.Close()
}

func loadStreamState(r *pebble.DB, stream string) (streamState, error) {
	v, found, err := getCopy(r, streamKey(stream))
	if err != nil || !found {
		return streamState{}, err
	}
	return decodeStreamState(v)
}

func loadPosition(r *pebble.DB, key []byte) (pos uint64, found bool, err error) {
	v, found, err := getCopy(r, key)
	if err != nil || !found {
		return 0, found, err
	}
	pos, err = decodeUint64(v)
	return pos, true, err
}

func loadEvent(r *pebble.DB, pos uint64) (*api.ReadResp_ReadEvent_RecordedEvent, error) {
	v, found, err := getCopy(r, allKey(pos))
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("event at position %d is missing", pos)
	}
	return decodeEvent(v)
}

func decodeEvent(b []byte) (*api.ReadResp_ReadEvent_RecordedEvent, error) {
	e := &api.ReadResp_ReadEvent_RecordedEvent{}
	if err := proto.Unmarshal(b, e); err != nil {
		return nil, fmt.Errorf("corrupt event record: %w", err)
	}
	return e, nil
}

// lastPosition finds the newest position in $all, 0 when the store is empty.
func (s *storage) lastPosition() (uint64, error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: allKey(0), UpperBound: allKey(math.MaxUint64)})
	if err != nil {
		return 0, err
	}
	defer it.Close()
	if !it.Last() {
		return 0, it.Error()
	}
	return decodeUint64(it.Key()[1:])
}

// pebbleLogger sends Pebble's messages to slog; its routine chatter goes to debug.
type pebbleLogger struct{ log *slog.Logger }

func (l pebbleLogger) Infof(format string, args ...interface{}) {
	l.log.Debug("pebble: " + fmt.Sprintf(format, args...))
}

func (l pebbleLogger) Errorf(format string, args ...interface{}) {
	l.log.Error("pebble: " + fmt.Sprintf(format, args...))
}

// Fatalf is called by Pebble when it cannot go on (a corrupt or failing disk); the process stops
// rather than acknowledge writes it may not keep.
func (l pebbleLogger) Fatalf(format string, args ...interface{}) {
	l.log.Error("pebble fatal: " + fmt.Sprintf(format, args...))
	os.Exit(70)
}
