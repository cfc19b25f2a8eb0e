package commands

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/domain/cms"
	"github.com/certledger/certledger/events"
)

// artifactSigning is a command on a signature request that may end in its signature: the
// request itself, or an approval.
type artifactSigning struct {
	commandID, requestID uuid.UUID
	caller               Caller
	// keyID is the key to load when the request does not name it yet (a new request).
	keyID uuid.UUID
	// decide is the command's own decision on the request (request, approve); the request is
	// signed when it leaves it Ready.
	decide func(r *domain.SignatureRequest, key *domain.SigningKey, at time.Time) ([]domain.Event, error)
}

// signArtifact runs a command on a signature request under the signing rule: the decision
// and, when the request is ready, the intent are appended, the signing key signs the CMS
// signed attributes once, and ArtifactSigned records the signature and the SignedData.
func (h caSigner) signArtifact(ctx context.Context, in artifactSigning) (Result, bool, error) {
	var (
		key      *domain.SigningKey
		detached *cms.Detached
		prepared domain.Prepared
	)
	return h.sign(ctx, signing{commandID: in.commandID, caller: in.caller,
		stream: events.StreamName(events.CategorySignature, in.requestID),
		prepare: func(past []domain.Event, at time.Time) (domain.Prepared, error) {
			r, err := domain.NewSignatureRequestFromHistory(past)
			if err != nil {
				return domain.Prepared{}, err
			}
			if key, err = h.keyOf(ctx, r, in); err != nil {
				return domain.Prepared{}, err
			}
			decided, err := in.decide(r, key, at)
			if err != nil {
				return domain.Prepared{}, err
			}
			for _, e := range decided {
				if err := r.Apply(e); err != nil {
					return domain.Prepared{}, err
				}
			}
			if !r.Ready() {
				return domain.Prepared{Events: decided}, nil
			}
			if detached, err = signedDataOf(r.Requested(), key, at); err != nil {
				return domain.Prepared{}, fmt.Errorf("CMS signed attributes of request %s: %w", r.ID(), err)
			}
			serial, err := domain.NewSerial(rand.Reader)
			if err != nil {
				return domain.Prepared{}, err
			}
			prepared, err = r.PrepareSign(key, detached.Digest(), detached.Hash(), serial, at)
			prepared.Events = append(decided, prepared.Events...)
			return prepared, err
		},
		record: func(past []domain.Event, sig []byte, at time.Time) ([]domain.Event, error) {
			r, err := domain.NewSignatureRequestFromHistory(past)
			if err != nil {
				return nil, err
			}
			der, err := detached.Finish(sig)
			if err != nil {
				return nil, fmt.Errorf("encode the SignedData of request %s: %w", r.ID(), err)
			}
			return r.RecordSignature(key, prepared.Intent.Serial, prepared.Digest, sig, der, prepared.Hash, at)
		},
	})
}

// signedDataOf fixes the signed attributes of a request by its kind: a detached SignedData
// over its digest, or the Authenticode SignedData over its PE's indirect data.
func signedDataOf(req domain.SignatureRequested, key *domain.SigningKey, at time.Time) (*cms.Detached, error) {
	if req.Kind == domain.SignatureKindAuthenticode {
		return cms.NewAuthenticode(req.Content, req.DigestAlgorithm.Hash(), key.Certificate(), key.Chain(), at)
	}
	return cms.NewDetached(req.Digest, req.DigestAlgorithm.Hash(), key.Certificate(), key.Chain(), at)
}

// keyOf loads the signing key a request names, or in.keyID for a request not made yet; a
// command on a request that does not exist and names no key is KindNotFound.
func (h caSigner) keyOf(ctx context.Context, r *domain.SignatureRequest, in artifactSigning) (*domain.SigningKey, error) {
	keyID := in.keyID
	switch {
	case !r.Exists() && keyID == uuid.Nil:
		return nil, signatureRequestNotFound(in.requestID)
	case r.Exists():
		id, err := uuid.Parse(r.Requested().KeyID)
		if err != nil {
			return nil, fmt.Errorf("signature request %s names key %q: %w", r.ID(), r.Requested().KeyID, err)
		}
		keyID = id
	}
	return h.loadSigningKey(ctx, keyID)
}
