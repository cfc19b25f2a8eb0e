package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
	"github.com/certledger/certledger/events"
)

// FinalizeACMEOrder requests the certificate of a ready order for its CSR.
type FinalizeACMEOrder struct {
	OrderID uuid.UUID
	CSRPEM  []byte
	// Owner is who the certificate is recorded as owned by: the ACME account ("acme:…").
	Owner string
}

// FinalizeACMEOrderHandler finalizes orders through the ledger's one certificate request, so
// an ACME certificate is requested, approved and issued under the same profile, policy,
// approvals and signing rule as one asked for over REST.
type FinalizeACMEOrderHandler struct {
	core    *Core
	request *RequestCertificateHandler
}

// NewFinalizeACMEOrderHandler is the finalize handler; request issues the certificates.
func NewFinalizeACMEOrderHandler(core *Core, request *RequestCertificateHandler) *FinalizeACMEOrderHandler {
	return &FinalizeACMEOrderHandler{core: core, request: request}
}

// ACMECertificateID is the id of the certificate an order is finalized with. It and the
// request's command id are derived from the order, so a finalize retried after the request
// was recorded requests nothing new and records the same certificate.
func ACMECertificateID(order uuid.UUID) uuid.UUID { return uuid.NewSHA1(order, []byte("certificate")) }

// Handle checks that the order is ready and the CSR names exactly its identifiers, runs
// RequestCertificate for the order's CA, profile and team (for as long as the profile allows),
// then records the certificate's id on the order. It returns the order as it leaves it.
func (h *FinalizeACMEOrderHandler) Handle(ctx context.Context, cmd FinalizeACMEOrder, caller Caller) (*domain.ACMEOrder, error) {
	order, err := h.core.loadACMEOrder(ctx, cmd.OrderID)
	if err != nil {
		return nil, err
	}
	csr, err := domain.ParseCSR(cmd.CSRPEM)
	if err != nil {
		return nil, err
	}
	if err := order.CheckCSR(csr, h.core.now()); err != nil {
		return nil, err
	}
	created := order.Created()
	profile, err := h.core.loadProfile(ctx, created.Profile)
	if err != nil {
		return nil, err
	}
	certID := ACMECertificateID(cmd.OrderID)
	_, err = h.request.Handle(ctx, RequestCertificate{CommandID: uuid.NewSHA1(cmd.OrderID, []byte("request")),
		CertificateID: certID, CAID: created.CAID, Profile: created.Profile, CSRPEM: cmd.CSRPEM,
		Team: created.Team, Owner: cmd.Owner, ValidityDays: profile.MaxValidityDays()}, caller)
	if err != nil {
		return nil, fmt.Errorf("finalize ACME order %s: %w", cmd.OrderID, err)
	}
	stream := events.StreamName(events.CategoryACMEOrder, cmd.OrderID)
	_, err = h.core.decide(ctx, uuid.NewSHA1(cmd.OrderID, []byte("finalize")), stream, caller,
		func(past []domain.Event, at time.Time) ([]domain.Event, error) {
			o, err := domain.NewACMEOrderFromHistory(past)
			if err != nil {
				return nil, err
			}
			return o.Finalize(certID.String(), at)
		})
	if err != nil {
		return nil, fmt.Errorf("finalize ACME order %s: record certificate %s: %w", cmd.OrderID, certID, err)
	}
	return h.core.loadACMEOrder(ctx, cmd.OrderID)
}

// ACMEAccount folds an ACME account from its stream; one never registered does not Exist.
func (q *Queries) ACMEAccount(ctx context.Context, id uuid.UUID) (*domain.ACMEAccount, error) {
	return q.core.loadACMEAccount(ctx, id)
}

// ACMEOrder folds an ACME order from its stream; one never created is KindNotFound.
func (q *Queries) ACMEOrder(ctx context.Context, id uuid.UUID) (*domain.ACMEOrder, error) {
	return q.core.loadACMEOrder(ctx, id)
}

// CertificateChain returns an issued certificate's DER followed by its CA's and those above,
// up to the root; a certificate not issued (yet) is KindConflict.
func (q *Queries) CertificateChain(ctx context.Context, id uuid.UUID) ([][]byte, error) {
	cert, err := q.core.loadCertificate(ctx, id)
	if err != nil {
		return nil, err
	}
	der := cert.CertificateDER()
	if len(der) == 0 {
		return nil, &domain.Error{Kind: domain.KindConflict, Message: "certificate " + id.String() + " is " + string(cert.Status())}
	}
	above, err := q.CAChain(ctx, cert.CAID())
	if err != nil {
		return nil, err
	}
	return append([][]byte{der}, above...), nil
}
