package embeddedstore

import (
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
)

// expectKind is the optimistic-concurrency condition of a write.
type expectKind int

const (
	expectAny expectKind = iota
	expectNoStream
	expectStreamExists
	expectRevision
)

// expectation is what a writer believes the stream's state to be.
type expectation struct {
	kind     expectKind
	revision uint64 // with expectRevision: the revision of the stream's newest event
}

// holds tells whether the stream's state meets the expectation.
func (e expectation) holds(st streamState) bool {
	switch e.kind {
	case expectNoStream:
		return !st.exists()
	case expectStreamExists:
		return st.exists()
	case expectRevision:
		return st.next > 0 && st.lastRevision() == e.revision
	default:
		return true
	}
}

// wrongExpectedVersion builds the append response for a failed condition, filling the fields
// of both protocol generations as EventStoreDB does.
func wrongExpectedVersion(e expectation, st streamState) *api.AppendResp {
	w := &api.AppendResp_WrongExpectedVersion{}
	if st.next == 0 {
		w.CurrentRevisionOption = &api.AppendResp_WrongExpectedVersion_CurrentNoStream{CurrentNoStream: empty()}
		w.CurrentRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_NoStream_20_6_0{NoStream_20_6_0: empty()}
	} else {
		w.CurrentRevisionOption = &api.AppendResp_WrongExpectedVersion_CurrentRevision{CurrentRevision: st.lastRevision()}
		w.CurrentRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_CurrentRevision_20_6_0{CurrentRevision_20_6_0: st.lastRevision()}
	}
	switch e.kind {
	case expectNoStream:
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedNoStream{ExpectedNoStream: empty()}
	case expectStreamExists:
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedStreamExists{ExpectedStreamExists: empty()}
		w.ExpectedRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_StreamExists_20_6_0{StreamExists_20_6_0: empty()}
	case expectRevision:
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedRevision{ExpectedRevision: e.revision}
		w.ExpectedRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_ExpectedRevision_20_6_0{ExpectedRevision_20_6_0: e.revision}
	default:
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedAny{ExpectedAny: empty()}
		w.ExpectedRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_Any_20_6_0{Any_20_6_0: empty()}
	}
	return &api.AppendResp{Result: &api.AppendResp_WrongExpectedVersion_{WrongExpectedVersion: w}}
}
