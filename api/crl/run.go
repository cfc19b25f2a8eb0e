package crl

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Run keeps the CRLs current until ctx is cancelled: it calls Refresh now and then every
// PollInterval, logging failures (the previous CRLs stay published and the next poll retries).
// It returns nil when ctx is cancelled, and an error if Run is already running.
func (s *Service) Run(ctx context.Context) error {
	if !s.running.CompareAndSwap(false, true) {
		return errors.New("CRL service is already running")
	}
	defer s.running.Store(false)
	s.log.Info("CRL service started", "poll_interval", s.cfg.PollInterval, "validity", s.cfg.Validity,
		"delta_validity", s.cfg.DeltaValidity)
	tick := time.NewTicker(s.cfg.PollInterval)
	defer tick.Stop()
	failing := ""
	for {
		err := s.Refresh(ctx)
		switch {
		case ctx.Err() != nil:
		case err != nil && err.Error() != failing: // Log a failure once, not every poll.
			s.log.Error("CRL refresh failed; the previous CRLs stay published", "error", err)
			failing = err.Error()
		case err == nil && failing != "":
			s.log.Info("CRL refresh recovered")
			failing = ""
		}
		select {
		case <-ctx.Done():
			s.log.Info("CRL service stopped")
			return nil
		case <-tick.C:
		}
	}
}

// Refresh does one round of Run's work: it loads the entries of CAs registered since the last
// round, polls the Source for new revocations, and rebuilds the CRLs that are due — a complete
// CRL when its CA has new revocations (at most every MinCompleteInterval) and, as the new delta
// base, when half of Validity has passed since the base was built; a delta CRL when its CA has
// new revocations, its base moved, or half of DeltaValidity has passed. Refresh calls are
// serialized; it is safe to call while Run runs.
func (s *Service) Refresh(ctx context.Context) error {
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	if !s.positioned { // Before any load, so that nothing projected meanwhile is missed.
		if ps, ok := s.src.(PositionSource); ok {
			pos, err := ps.LastPosition(ctx)
			if err != nil {
				return fmt.Errorf("CRL source position: %w", err)
			}
			s.position = pos
		}
		s.positioned = true
	}
	var errs []error
	for _, a := range s.authorities() {
		if !a.loaded {
			errs = append(errs, s.load(ctx, a))
		}
	}
	errs = append(errs, s.poll(ctx))
	for _, a := range s.authorities() {
		if a.loaded {
			errs = append(errs, s.rebuild(ctx, a))
		}
	}
	return errors.Join(errs...)
}

// authorities returns the registered CAs.
func (s *Service) authorities() []*authority {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*authority, 0, len(s.cas))
	for _, a := range s.cas {
		out = append(out, a)
	}
	return out
}

// load reads all of a CA's entries from the Source and encodes them into its Builder.
func (s *Service) load(ctx context.Context, a *authority) error {
	start := time.Now()
	entries, err := s.src.RevokedByCA(ctx, a.iss.ID)
	if err != nil {
		return fmt.Errorf("load revoked entries of CA %s: %w", a.iss.ID, err)
	}
	for _, e := range entries {
		s.add(a, e)
	}
	a.loaded = true
	s.log.Info("CRL entries loaded", "ca", a.iss.ID, "entries", a.builder.Len(), "took", time.Since(start))
	return nil
}

// add puts an entry into a CA's Builder. An entry that cannot be encoded is logged and skipped:
// it must not hold back every other revocation.
func (s *Service) add(a *authority, e Entry) {
	der, err := a.builder.add(e)
	if err != nil {
		s.log.Error("revocation left out of the CRL", "ca", a.iss.ID, "error", err)
		return
	}
	a.addToPartition(e, der)
	a.dirty, a.deltaDirty = true, true
}

// poll applies the revocations after the last position seen, in batches, until caught up.
func (s *Service) poll(ctx context.Context) error {
	for {
		revs, err := s.src.RevokedSince(ctx, s.position, s.cfg.BatchSize)
		if err != nil {
			return fmt.Errorf("poll revocations after position %d: %w", s.position, err)
		}
		if len(revs) > 0 && revs[len(revs)-1].Position <= s.position {
			return fmt.Errorf("poll revocations after position %d: the source went back to %d", s.position, revs[len(revs)-1].Position)
		}
		for _, r := range revs {
			s.mu.RLock()
			a := s.cas[r.CAID]
			s.mu.RUnlock()
			if a != nil { // Revocations of CAs not served here are not our concern.
				s.add(a, r.Entry)
			}
			s.position = max(s.position, r.Position)
		}
		if len(revs) < s.cfg.BatchSize {
			return nil
		}
	}
}

// rebuild builds whichever of a CA's CRLs are due: complete, delta and partitions.
func (s *Service) rebuild(ctx context.Context, a *authority) error {
	now := s.cfg.Clock()
	return errors.Join(s.rebuildComplete(ctx, a, now), s.rebuildPartitions(ctx, a, now))
}

// rebuildComplete builds the CA's complete and delta CRLs when they are due.
func (s *Service) rebuildComplete(ctx context.Context, a *authority, now time.Time) error {
	// The base moves on schedule, not with every complete CRL, so that a delta CRL lasts half
	// a complete CRL's validity and clients holding any complete CRL since the base can use it.
	full := a.complete.Load()
	switch {
	case full == nil || !now.Before(a.baseAt.Add(s.cfg.Validity/2)):
		if err := s.buildComplete(ctx, a, now, true); err != nil {
			return err
		}
	case a.dirty && now.Sub(a.lastComplete) >= s.cfg.MinCompleteInterval:
		if err := s.buildComplete(ctx, a, now, false); err != nil {
			return err
		}
	}
	d := a.delta.Load()
	if a.deltaDirty || d == nil || !now.Before(d.ThisUpdate.Add(s.cfg.DeltaValidity/2)) {
		return s.buildDelta(ctx, a, now)
	}
	return nil
}

// buildComplete builds and publishes a CA's complete CRL; with newBase, it becomes the base of
// the delta CRLs that follow.
func (s *Service) buildComplete(ctx context.Context, a *authority, now time.Time, newBase bool) error {
	num, err := s.numbers.Next(ctx, a.iss.ID, KindComplete)
	if err != nil {
		return err
	}
	start := time.Now()
	p := Params{Number: num, ThisUpdate: now.UTC().Truncate(time.Second), FreshestURL: s.deltaURL(a.iss.ID)}
	p.NextUpdate = p.ThisUpdate.Add(s.cfg.Validity)
	der, err := a.builder.Complete(p)
	if err != nil {
		return fmt.Errorf("complete CRL of CA %s: %w", a.iss.ID, err)
	}
	a.complete.Store(&CRL{DER: der, Number: num, ThisUpdate: p.ThisUpdate, NextUpdate: p.NextUpdate, Entries: a.builder.Len()})
	a.dirty, a.lastComplete = false, now
	if newBase {
		a.builder.ResetDelta()
		a.base, a.baseAt, a.deltaDirty = num, now, true
	}
	s.log.Info("complete CRL published", "ca", a.iss.ID, "number", num, "entries", a.builder.Len(),
		"bytes", len(der), "delta_base", newBase, "took", time.Since(start))
	return nil
}

// buildDelta builds and publishes a CA's delta CRL against the current base.
func (s *Service) buildDelta(ctx context.Context, a *authority, now time.Time) error {
	num, err := s.numbers.Next(ctx, a.iss.ID, KindComplete) // One sequence with complete CRLs.
	if err != nil {
		return err
	}
	p := Params{Number: num, ThisUpdate: now.UTC().Truncate(time.Second)}
	p.NextUpdate = p.ThisUpdate.Add(s.cfg.DeltaValidity)
	der, err := a.builder.Delta(p, a.base)
	if err != nil {
		return fmt.Errorf("delta CRL of CA %s: %w", a.iss.ID, err)
	}
	a.delta.Store(&CRL{DER: der, Number: num, ThisUpdate: p.ThisUpdate, NextUpdate: p.NextUpdate, Entries: a.builder.DeltaLen()})
	a.deltaDirty = false
	s.log.Debug("delta CRL published", "ca", a.iss.ID, "number", num, "base", a.base, "entries", a.builder.DeltaLen())
	return nil
}
