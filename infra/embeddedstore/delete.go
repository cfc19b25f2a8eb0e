package embeddedstore

import (
	"context"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
)

// Delete soft-deletes a stream: readers no longer see its events, writers may recreate it.
func (s *streamsService) Delete(ctx context.Context, req *api.DeleteReq) (*api.DeleteResp, error) {
	opts := req.GetOptions()
	if opts == nil {
		return nil, invalid("delete options are missing")
	}
	expect, err := revisionExpectation(opts.ExpectedStreamRevision)
	if err != nil {
		return nil, err
	}
	pos, err := s.deleteWith(ctx, opDelete, opts.StreamIdentifier, expect)
	if err != nil {
		return nil, err
	}
	return &api.DeleteResp{PositionOption: &api.DeleteResp_Position_{Position: &api.DeleteResp_Position{
		CommitPosition: pos, PreparePosition: pos}}}, nil
}

// Tombstone deletes a stream for ever.
func (s *streamsService) Tombstone(ctx context.Context, req *api.TombstoneReq) (*api.TombstoneResp, error) {
	opts := req.GetOptions()
	if opts == nil {
		return nil, invalid("tombstone options are missing")
	}
	expect, err := revisionExpectation(opts.ExpectedStreamRevision)
	if err != nil {
		return nil, err
	}
	pos, err := s.deleteWith(ctx, opTombstone, opts.StreamIdentifier, expect)
	if err != nil {
		return nil, err
	}
	return &api.TombstoneResp{PositionOption: &api.TombstoneResp_Position_{Position: &api.TombstoneResp_Position{
		CommitPosition: pos, PreparePosition: pos}}}, nil
}

func (s *streamsService) deleteWith(ctx context.Context, op writeOp, id *shared.StreamIdentifier, expect expectation) (uint64, error) {
	name, err := streamName(id)
	if err != nil {
		return 0, invalid("%v", err)
	}
	res, err := s.submit(ctx, &writeRequest{op: op, stream: name, expect: expect})
	switch {
	case err != nil:
		return 0, err
	case res.err != nil:
		return 0, internal(res.err)
	case res.deleted:
		return 0, streamDeleted(ctx, name)
	case res.wrongState:
		return 0, wrongExpectedVersionError(ctx, name, expect, res.state)
	}
	return res.position, nil
}

// revisionExpectation reads the expected revision of a delete or tombstone.
func revisionExpectation(v any) (expectation, error) {
	switch x := v.(type) {
	case *api.DeleteReq_Options_Revision:
		return expectation{kind: expectRevision, revision: x.Revision}, nil
	case *api.TombstoneReq_Options_Revision:
		return expectation{kind: expectRevision, revision: x.Revision}, nil
	case *api.DeleteReq_Options_NoStream, *api.TombstoneReq_Options_NoStream:
		return expectation{kind: expectNoStream}, nil
	case *api.DeleteReq_Options_StreamExists, *api.TombstoneReq_Options_StreamExists:
		return expectation{kind: expectStreamExists}, nil
	case *api.DeleteReq_Options_Any, *api.TombstoneReq_Options_Any:
		return expectation{kind: expectAny}, nil
	}
	return expectation{}, invalid("expected stream revision is missing")
}
