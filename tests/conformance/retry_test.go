package conformance_test

import (
	"context"
	"errors"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
)

// appendWithRetry appends ev to stream at the revision it reads, retrying on a conflict as a
// command handler does (load, decide, append with the loaded revision).
func appendWithRetry(ctx context.Context, c *esdb.Client, stream string, ev esdb.EventData) error {
	for {
		exp, err := currentRevision(ctx, c, stream)
		if err != nil {
			return err
		}
		_, err = c.AppendToStream(ctx, stream, esdb.AppendToStreamOptions{ExpectedRevision: exp}, ev)
		var e *esdb.Error
		if errors.As(err, &e) && e.Code() == esdb.ErrorCodeWrongExpectedVersion && ctx.Err() == nil {
			continue
		}
		return err
	}
}

// currentRevision returns the revision of the stream's last event, or NoStream.
func currentRevision(ctx context.Context, c *esdb.Client, stream string) (esdb.ExpectedRevision, error) {
	evs, err := collect(c.ReadStream(ctx, stream, esdb.ReadStreamOptions{Direction: esdb.Backwards, From: esdb.End{}}, 1))
	var e *esdb.Error
	switch {
	case errors.As(err, &e) && e.Code() == esdb.ErrorCodeResourceNotFound:
		return esdb.NoStream{}, nil
	case err != nil:
		return nil, err
	case len(evs) == 0:
		return esdb.NoStream{}, nil
	}
	return esdb.Revision(evs[0].EventNumber), nil
}
