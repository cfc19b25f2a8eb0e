package eventstore

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
)

// Identity names the store: the id of the first event of $all, "" while the store is empty. A
// store never loses its first event, and another store — a replacement, a new cluster, a
// restore of another store's backup — has another one, so read models and SIEM checkpoints
// keep it beside their positions and start again from 0 when it changes.
func (s *Store) Identity(ctx context.Context) (string, error) {
	rs, err := s.client.ReadAll(ctx, esdb.ReadAllOptions{From: esdb.Start{}}, 1)
	if err != nil {
		return "", fmt.Errorf("read the first event of $all: %w", err)
	}
	defer rs.Close()
	e, err := rs.Recv()
	if errors.Is(err, io.EOF) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the first event of $all: %w", err)
	}
	if ev := e.OriginalEvent(); ev != nil {
		return ev.EventID.String(), nil
	}
	return "", errors.New("read the first event of $all: the store returned no event")
}
