package embeddedstore

import (
	"context"
	"errors"
	"io"

	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Append receives the options, then the events, and answers once they are durable.
func (s *streamsService) Append(stream api.Streams_AppendServer) error {
	first, err := stream.Recv()
	if errors.Is(err, io.EOF) {
		return invalid("an append must start with its options")
	}
	if err != nil {
		return err
	}
	opts := first.GetOptions()
	if opts == nil {
		return invalid("the first append message must carry the options")
	}
	name, err := streamName(opts.StreamIdentifier)
	if err != nil {
		return invalid("%v", err)
	}
	expect, err := appendExpectation(opts)
	if err != nil {
		return err
	}
	events, err := s.receiveEvents(stream)
	if err != nil {
		return err
	}
	res, err := s.submit(stream.Context(), &writeRequest{op: opAppend, stream: name, expect: expect, events: events})
	if err != nil {
		return err
	}
	switch {
	case res.err != nil:
		return internal(res.err)
	case res.deleted:
		return streamDeleted(stream.Context(), name)
	case res.wrongState:
		return stream.SendAndClose(wrongExpectedVersion(expect, res.state))
	}
	return stream.SendAndClose(appendSuccess(res))
}

func (s *streamsService) receiveEvents(stream api.Streams_AppendServer) ([]proposed, error) {
	var events []proposed
	size := 0
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return events, nil
		}
		if err != nil {
			return nil, err
		}
		pm := msg.GetProposedMessage()
		if pm == nil {
			return nil, invalid("after the options, an append carries only proposed messages")
		}
		e, err := validateProposed(pm)
		if err != nil {
			return nil, err
		}
		size += len(e.data) + len(e.custom) + 2*len(e.eventType)
		if size > s.maxAppendSize {
			return nil, status.Errorf(codes.InvalidArgument, "maximum-append-size-exceeded: the append is over %d bytes", s.maxAppendSize)
		}
		events = append(events, e)
	}
}

func validateProposed(pm *api.AppendReq_ProposedMessage) (proposed, error) {
	id, err := parseEventID(pm.Id)
	if err != nil {
		return proposed{}, invalid("%v", err)
	}
	eventType, contentType := pm.Metadata["type"], pm.Metadata["content-type"]
	if eventType == "" || contentType == "" {
		return proposed{}, invalid("event %s: required metadata \"type\" and \"content-type\" are missing", id)
	}
	return proposed{id: id, eventType: eventType, contentType: contentType, custom: pm.CustomMetadata, data: pm.Data}, nil
}

func appendExpectation(opts *api.AppendReq_Options) (expectation, error) {
	switch v := opts.ExpectedStreamRevision.(type) {
	case *api.AppendReq_Options_Revision:
		return expectation{kind: expectRevision, revision: v.Revision}, nil
	case *api.AppendReq_Options_NoStream:
		return expectation{kind: expectNoStream}, nil
	case *api.AppendReq_Options_StreamExists:
		return expectation{kind: expectStreamExists}, nil
	case *api.AppendReq_Options_Any:
		return expectation{kind: expectAny}, nil
	}
	return expectation{}, invalid("expected stream revision is missing")
}

func appendSuccess(res writeResult) *api.AppendResp {
	ok := &api.AppendResp_Success{}
	switch {
	case res.wrote:
		ok.CurrentRevisionOption = &api.AppendResp_Success_CurrentRevision{CurrentRevision: res.lastRev}
	case res.state.next > 0:
		ok.CurrentRevisionOption = &api.AppendResp_Success_CurrentRevision{CurrentRevision: res.state.lastRevision()}
	default:
		ok.CurrentRevisionOption = &api.AppendResp_Success_NoStream{NoStream: empty()}
	}
	if res.position > 0 {
		ok.PositionOption = &api.AppendResp_Success_Position{Position: &api.AppendResp_Position{
			CommitPosition: res.position, PreparePosition: res.position}}
	} else {
		ok.PositionOption = &api.AppendResp_Success_NoPosition{NoPosition: empty()}
	}
	return &api.AppendResp{Result: &api.AppendResp_Success_{Success: ok}}
}

// submit hands a request to the writer and waits for its answer.
func (s *streamsService) submit(ctx context.Context, r *writeRequest) (writeResult, error) {
	r.done = make(chan writeResult, 1)
	select {
	case s.writer.requests <- r:
	case <-ctx.Done():
		return writeResult{}, status.FromContextError(ctx.Err()).Err()
	}
	select {
	case res := <-r.done:
		return res, nil
	case <-ctx.Done():
		return writeResult{}, status.FromContextError(ctx.Err()).Err()
	}
}
