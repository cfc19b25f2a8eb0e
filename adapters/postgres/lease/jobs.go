package lease

import (
	"context"
	"errors"

	"github.com/certledger/certledger/adapters/siem"
	"github.com/certledger/certledger/projections"
)

// Projections adapts a Manager to the leases a projection runner asks for
// (projections.WithLeases).
func Projections(m *Manager) projections.Leases { return projectionLeases{m} }

type projectionLeases struct{ m *Manager }

func (p projectionLeases) TryAcquire(ctx context.Context, name string) (projections.Lease, bool, error) {
	h, err := p.m.TryAcquire(ctx, name)
	if errors.Is(err, ErrHeldElsewhere) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return h, true, nil
}

// SIEM adapts a Manager to the leases a SIEM forwarder asks for (siem.Options.Leases).
func SIEM(m *Manager) siem.Leases { return siemLeases{m} }

type siemLeases struct{ m *Manager }

func (s siemLeases) Acquire(ctx context.Context, name string) (siem.Lease, error) {
	h, err := s.m.Acquire(ctx, name)
	if err != nil {
		return nil, err
	}
	return h, nil
}
