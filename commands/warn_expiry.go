package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/certledger/certledger/domain"
)

// WarnExpiry records that an issued certificate crossed an expiry warning threshold. It is
// housekeeping, run as System; its command id derives from the certificate and the threshold,
// so a warning is appended once however often a sweep asks, across restarts.
type WarnExpiry struct {
	CertificateID uuid.UUID
	DaysBefore    int
}

// WarnExpiryHandler records expiry warnings. It signs nothing.
type WarnExpiryHandler struct{ core *Core }

// NewWarnExpiryHandler is the expiry warning handler.
func NewWarnExpiryHandler(core *Core) *WarnExpiryHandler { return &WarnExpiryHandler{core} }

// Handle records the warning when the certificate is within the threshold and was not warned
// at it yet; otherwise it appends nothing.
func (h *WarnExpiryHandler) Handle(ctx context.Context, cmd WarnExpiry) (Result, error) {
	id := uuid.NewSHA1(cmd.CertificateID, fmt.Appendf(nil, "expiry-warning-%d", cmd.DaysBefore))
	decision := Decision{CommandID: id, CertificateID: cmd.CertificateID}
	return h.core.onCertificate(ctx, decision, System, func(cert *domain.Certificate, at time.Time) ([]domain.Event, error) {
		return cert.WarnExpiry(cmd.DaysBefore, at)
	})
}
