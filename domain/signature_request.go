package domain

import (
	"fmt"
	"slices"
)

// SignatureStatus is the state of a signature request. One never requested has the empty
// status.
type SignatureStatus string

// The states of a signature request: pending_approval until its approvals are in, then signed
// (or voided when the signature could not be recorded); refused while pending. A request that
// needs no approval is signed in the command that requests it.
const (
	SignatureStatusPending SignatureStatus = "pending_approval"
	SignatureStatusSigned  SignatureStatus = "signed"
	SignatureStatusRefused SignatureStatus = "refused"
	SignatureStatusVoided  SignatureStatus = "voided"
)

// SignatureRequest is the aggregate of one request to sign an artifact's digest, rebuilt from
// its stream: the request, its approvals, and the signature or the refusal.
type SignatureRequest struct {
	req       SignatureRequested
	approvals []SignatureApproved
	status    SignatureStatus
	signed    ArtifactSigned
	refused   SignatureRefused
	signing   signings
	version   int
}

// NewSignatureRequestFromHistory folds a signature request stream's events.
func NewSignatureRequestFromHistory(history []Event) (*SignatureRequest, error) {
	r := &SignatureRequest{}
	for _, e := range history {
		if err := r.Apply(e); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Apply changes the request's state by one of its events, refusing events out of order and
// events of another request. A voided signature closes the request.
func (r *SignatureRequest) Apply(e Event) error {
	if r.signing.apply(e) {
		if _, ok := e.(SignatureVoided); ok {
			r.status = SignatureStatusVoided
		}
		r.version++
		return nil
	}
	if id := e.Aggregate().ID; r.status != "" && id != r.req.RequestID {
		return fmt.Errorf("apply %s for signature request %q to request %q", e.EventType(), id, r.req.RequestID)
	}
	if (r.status == "") != (e.EventType() == TypeSignatureRequested) || (r.status != "" && r.status != SignatureStatusPending) {
		return fmt.Errorf("apply %s to signature request %q in state %q: illegal transition", e.EventType(), r.req.RequestID, r.status)
	}
	switch e := e.(type) {
	case SignatureRequested:
		r.req, r.status = e, SignatureStatusPending
	case SignatureApproved:
		r.approvals = append(r.approvals, e)
	case SignatureRefused:
		r.refused, r.status = e, SignatureStatusRefused
	case ArtifactSigned:
		r.signed, r.status = e, SignatureStatusSigned
		r.signing.finish(e.Serial)
	default:
		return fmt.Errorf("apply %s to signature request %q: not a signature request event", e.EventType(), r.req.RequestID)
	}
	r.version++
	return nil
}

// Exists reports whether the request was made.
func (r *SignatureRequest) Exists() bool { return r.status != "" }

// ID is the request's id.
func (r *SignatureRequest) ID() string { return r.req.RequestID }

// Requested is the request as recorded.
func (r *SignatureRequest) Requested() SignatureRequested {
	out := r.req
	out.Digest, out.Content = slices.Clone(r.req.Digest), slices.Clone(r.req.Content)
	return out
}

// Status is the request's state.
func (r *SignatureRequest) Status() SignatureStatus { return r.status }

// Approvers are the subjects that approved, in order.
func (r *SignatureRequest) Approvers() []string {
	out := make([]string, len(r.approvals))
	for i, a := range r.approvals {
		out[i] = a.ApprovedBy
	}
	return out
}

// Ready reports whether the request is pending with every approval it needs: it is to be
// signed now.
func (r *SignatureRequest) Ready() bool {
	return r.status == SignatureStatusPending && len(r.approvals) >= r.req.ApprovalsRequired
}

// Signed is the signature, when the request is signed.
func (r *SignatureRequest) Signed() (ArtifactSigned, bool) {
	return r.signed, r.status == SignatureStatusSigned
}

// Refusal is the refusal, when the request was refused.
func (r *SignatureRequest) Refusal() (SignatureRefused, bool) {
	return r.refused, r.status == SignatureStatusRefused
}

// Version is the number of events folded.
func (r *SignatureRequest) Version() int { return r.version }
