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

// CreateCA generates the CA's key, signs its certificate (self-signed, or by the parent's key)
// and records the CA, then gives it its delegated OCSP responder.
func (h *Handlers) CreateCA(ctx context.Context, cmd CreateCA, caller Caller) (Result, error) {
	res, err := h.createCA(ctx, cmd, caller)
	if err != nil {
		return res, err
	}
	step := uuid.NewSHA1(cmd.CommandID, []byte("certify-responder"))
	return h.CertifyResponder(ctx, CertifyResponder{CommandID: step, CAID: cmd.CAID}, caller)
}

func (h *Handlers) createCA(ctx context.Context, cmd CreateCA, caller Caller) (Result, error) {
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
		past, err := h.load(ctx, events.StreamName(events.CategoryCA, cmd.ParentID))
		if err != nil {
			return Result{}, err
		}
		if parent, err = domain.NewCAFromHistory(past); err != nil {
			return Result{}, err
		}
		if !parent.Exists() {
			return Result{}, &domain.Error{Kind: domain.KindNotFound, Message: fmt.Sprintf("parent CA %s does not exist", cmd.ParentID)}
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

// RevokeCA revokes a CA's certificate; its parent's CRL then lists it. The certificates the CA
// issued keep their own status.
type RevokeCA struct {
	CommandID      uuid.UUID
	CAID           uuid.UUID
	Reason         string // an RFC 5280 reason name
	InvalidityDate *time.Time
}

// RevokeCA records the revocation of a CA.
func (h *Handlers) RevokeCA(ctx context.Context, cmd RevokeCA, caller Caller) (Result, error) {
	reason, err := domain.ParseRevocationReason(cmd.Reason)
	if err != nil {
		return Result{}, err
	}
	stream := events.StreamName(events.CategoryCA, cmd.CAID)
	return h.decide(ctx, cmd.CommandID, stream, caller, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		ca, err := domain.NewCAFromHistory(past)
		if err != nil {
			return nil, err
		}
		return ca.Revoke(reason, cmd.InvalidityDate, caller.Actor, at)
	})
}
