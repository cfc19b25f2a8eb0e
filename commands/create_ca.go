package commands

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// CreateCA creates a root CA, or an intermediate when ParentID is set. Its key is generated in
// the HSM under the label "ca-<id>" and never leaves it.
type CreateCA struct {
	CommandID    uuid.UUID
	CAID         uuid.UUID
	Name         string
	CommonName   string
	KeyType      domain.KeyType
	ParentID     uuid.UUID // uuid.Nil for a root
	ValidityDays int
	PathLen      int
	// CRLPartitions splits the CA's CRL into that many partitions (0 or 1: one CRL); see
	// domain.CASpec.
	CRLPartitions int
}

// CreateCAHandler creates CAs: it makes their keys in the HSM, signs their certificates under
// the signing rule with the URLs their certificates point to, and certifies their responders.
type CreateCAHandler struct {
	caSigner
	urls      URLs
	responder *CertifyResponderHandler
}

// NewCreateCAHandler is the CA creation handler; the CAs' keys are made and used in keys.
func NewCreateCAHandler(core *Core, keys KeyStore, urls URLs) *CreateCAHandler {
	return &CreateCAHandler{caSigner: caSigner{core, keys}, urls: urls, responder: NewCertifyResponderHandler(core, keys)}
}

// Handle generates the CA's key, signs its certificate (self-signed, or by the parent's key)
// and records the CA, then gives it its delegated OCSP responder.
func (h *CreateCAHandler) Handle(ctx context.Context, cmd CreateCA, caller Caller) (Result, error) {
	res, err := h.createCA(ctx, cmd, caller)
	if err != nil {
		return res, err
	}
	step := uuid.NewSHA1(cmd.CommandID, []byte("certify-responder"))
	return h.responder.Handle(ctx, CertifyResponder{CommandID: step, CAID: cmd.CAID}, caller)
}

func (h *CreateCAHandler) createCA(ctx context.Context, cmd CreateCA, caller Caller) (Result, error) {
	spec := domain.CASpec{
		ID: cmd.CAID.String(), Name: cmd.Name, CommonName: cmd.CommonName, KeyType: cmd.KeyType,
		HSMKeyLabel: events.StreamName(events.CategoryCA, cmd.CAID), PathLen: cmd.PathLen,
		ValidityDays: cmd.ValidityDays, CRLURL: h.urls.CRL(cmd.CAID), OCSPURL: h.urls.OCSP(),
		IssuerURL: h.urls.Issuer(cmd.CAID), CRLPartitions: cmd.CRLPartitions,
	}
	if err := spec.Validate(); err != nil {
		return Result{}, err
	}
	var parent *domain.CA
	if cmd.ParentID != uuid.Nil {
		var err error
		if parent, err = h.loadParentCA(ctx, cmd.ParentID); err != nil {
			return Result{}, err
		}
	}
	pub, err := h.keys.EnsureKey(ctx, spec.HSMKeyLabel, spec.KeyType)
	if err != nil {
		return Result{}, fmt.Errorf("CA key in the HSM: %w", err)
	}
	res, _, err := h.sign(ctx, signing{commandID: cmd.CommandID, stream: spec.HSMKeyLabel, caller: caller,
		prepare: func(past []domain.Event, at time.Time) (domain.Prepared, error) {
			ca, err := domain.NewCAFromHistory(past)
			if err != nil {
				return domain.Prepared{}, err
			}
			serial, err := domain.NewSerial(rand.Reader)
			if err != nil {
				return domain.Prepared{}, err
			}
			return ca.PrepareCreate(spec, parent, pub, serial, caller.Actor, at)
		},
		record: func(past []domain.Event, der []byte, at time.Time) ([]domain.Event, error) {
			ca, err := domain.NewCAFromHistory(past)
			if err != nil {
				return nil, err
			}
			if parent == nil {
				return ca.CreateRoot(spec, der, caller.Actor, at)
			}
			return ca.CreateIntermediate(spec, parent, der, caller.Actor, at)
		},
	})
	return res, err
}
