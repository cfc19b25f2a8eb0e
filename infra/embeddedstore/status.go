package embeddedstore

import (
	"context"
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// invalid reports a malformed request.
func invalid(format string, args ...any) error {
	return status.Errorf(codes.InvalidArgument, format, args...)
}

// streamDeleted reports a tombstoned stream. The client recognises it only by these two trailers,
// and panics when stream-name is missing.
func streamDeleted(ctx context.Context, stream string) error {
	_ = grpc.SetTrailer(ctx, metadata.Pairs("exception", "stream-deleted", "stream-name", stream))
	return status.Errorf(codes.FailedPrecondition, "stream %q is deleted", stream)
}

// wrongExpectedVersionError reports a failed condition on a delete or tombstone, which, unlike an
// append, answers with an error status.
func wrongExpectedVersionError(ctx context.Context, stream string, e expectation, st streamState) error {
	actual := "-1"
	if st.next > 0 {
		actual = fmt.Sprint(st.lastRevision())
	}
	_ = grpc.SetTrailer(ctx, metadata.Pairs("exception", "wrong-expected-version",
		"stream-name", stream, "actual-version", actual))
	return status.Errorf(codes.FailedPrecondition, "wrong expected version for stream %q: expected %s, actual %s",
		stream, e, actual)
}

// internal reports a storage failure without leaking details beyond the message.
func internal(err error) error {
	return status.Errorf(codes.Internal, "event store: %v", err)
}

func (e expectation) String() string {
	switch e.kind {
	case expectNoStream:
		return "no_stream"
	case expectStreamExists:
		return "stream_exists"
	case expectRevision:
		return fmt.Sprint(e.revision)
	default:
		return "any"
	}
}
